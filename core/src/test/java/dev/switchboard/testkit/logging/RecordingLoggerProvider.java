package dev.switchboard.testkit.logging;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider for tests that records every event at every level in {@link RecordingLogs}.
 * Select it with the system property
 * {@code slf4j.provider=dev.switchboard.testkit.logging.RecordingLoggerProvider} (the build sets
 * it for core's tests), so the whole library runs with TRACE enabled while tests watch the logs.
 *
 * <p>Nothing is printed by default: passing tests provoke thousands of failovers, and each logs a
 * WARN by design; tests that care about a log line assert on {@link RecordingLogs}. To see the
 * logs while debugging, set {@code -Dswitchboard.test.log=WARN} (or TRACE, DEBUG, INFO, ERROR):
 * events at that level and above are then printed to standard error.
 */
public final class RecordingLoggerProvider implements SLF4JServiceProvider {
  private final Factory factory = new Factory();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** Loggers that record. */
  static final class Factory implements ILoggerFactory {
    private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, RecordingLogger::new);
    }
  }

  /** The lowest level printed to standard error, or null to print nothing. */
  static Level echoThreshold(String configured) {
    if (configured == null || configured.isBlank() || configured.equalsIgnoreCase("OFF")) return null;
    try {
      return Level.valueOf(configured.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("switchboard.test.log: unknown level '" + configured
          + "' (OFF, ERROR, WARN, INFO, DEBUG or TRACE)", e);
    }
  }

  private static final Level ECHO = echoThreshold(System.getProperty("switchboard.test.log"));

  private static final class RecordingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    RecordingLogger(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
      RecordingLogs.add(level, name, message, throwable);
      if (ECHO != null && level.toInt() >= ECHO.toInt()) {
        System.err.println("[" + Thread.currentThread().getName() + "] " + level + " " + name + " - " + message
            + (throwable == null ? "" : " (" + throwable + ")"));
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }
}
