package dev.switchboard.testkit.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.event.Level;

/**
 * Every log line written through {@link RecordingLoggerProvider}, at every level down to TRACE,
 * formatted as it would be printed (message with arguments, then the throwable's string form and
 * stack). Tests assert over it, e.g. that no secret ever reaches a log.
 */
public final class RecordingLogs {
  /** One formatted log line. */
  public record Line(Level level, String logger, String text) {}

  private static final List<Line> LINES = new CopyOnWriteArrayList<>();

  private RecordingLogs() {}

  static void add(Level level, String logger, String message, Throwable t) {
    StringBuilder sb = new StringBuilder(message == null ? "null" : message);
    if (t != null) {
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      sb.append('\n').append(w);
    }
    LINES.add(new Line(level, logger, sb.toString()));
  }

  /** Whether the recording provider is the active SLF4J provider in this JVM. */
  public static boolean active() {
    return org.slf4j.LoggerFactory.getILoggerFactory() instanceof RecordingLoggerProvider.Factory;
  }

  public static List<Line> lines() {
    return List.copyOf(LINES);
  }

  public static void clear() {
    LINES.clear();
  }
}
