package dev.switchboard.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.ConnectionPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaks. Registered with {@code @ExtendWith}; after the class:
 * <ul>
 *   <li>OkHttp's own leak report: OkHttp logs "A connection to ... was leaked. Did you forget to
 *       close a response body?" through java.util.logging logger {@code okhttp3.OkHttpClient} when
 *       a call holding a connection is garbage-collected unclosed. The guard listens on that
 *       logger for the whole run, and after each class collects garbage and sweeps every pool
 *       the class created (the sweep is what makes OkHttp notice), then fails on any report.
 *   <li>Live threads: every thread started during the class must be gone (bounded wait), except
 *       the JVM-wide, self-retiring pools named in {@link #SHARED_POOLS}.
 * </ul>
 * Per-call checks (no call running, no connection held) are done by {@link Rig#assertQuiescent()}.
 */
final class LeakGuard implements BeforeAllCallback, AfterAllCallback {
  /** Thread name prefixes of process-wide pools whose idle threads retire by themselves. */
  static final List<String> SHARED_POOLS = List.of(
      "OkHttp TaskRunner", // OkHttp's global task runner: idle threads exit after 60 s
      "Okio Watchdog", // Okio's one timeout watchdog thread: exits after 60 s without timeouts to watch
      "Cleaner-", // the single java.lang.ref.Cleaner thread of DefaultChatStream, created once per JVM
      "switchboard-mock-stream", // MockProvider's static daemon pool, used by core's mock
      "process reaper",
      "JUnit", "surefire", "jqwik");

  private static final Logger OKHTTP = Logger.getLogger("okhttp3.OkHttpClient");
  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
  private static final Map<ConnectionPool, Boolean> POOLS = Collections.synchronizedMap(new WeakHashMap<>());

  static {
    OKHTTP.setLevel(Level.ALL);
    OKHTTP.setUseParentHandlers(false); // captured below and failed on, not printed
    OKHTTP.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        String m = r.getMessage();
        if (m != null && m.contains("leaked")) REPORTS.add(m);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  private Set<Thread> before;

  /** Makes the end-of-class sweep cover {@code pool}. */
  static void watch(ConnectionPool pool) {
    POOLS.put(pool, Boolean.TRUE);
  }

  /** OkHttp's leak reports so far (for the guard's own test). */
  static List<String> reports() {
    return List.copyOf(REPORTS);
  }

  static void clearReports() {
    REPORTS.clear();
  }

  /** Collects garbage and sweeps every watched pool, so OkHttp reports connections whose calls were collected unclosed. */
  static void sweep() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      List<ConnectionPool> pools;
      synchronized (POOLS) {
        pools = new ArrayList<>(POOLS.keySet());
      }
      // closeConnections is OkHttp's own cleanup pass (public in bytecode, internal in Kotlin):
      // it is where OkHttp finds a connection whose call was collected and logs the leak.
      for (ConnectionPool p : pools) p.getDelegate$okhttp().closeConnections(System.nanoTime());
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    before = Set.copyOf(Thread.getAllStackTraces().keySet());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    sweep();
    List<String> leaks = reports();
    if (!leaks.isEmpty()) {
      throw new AssertionError("OkHttp reported leaked response bodies during " + context.getDisplayName() + ": " + leaks);
    }
    Waits.until(Duration.ofSeconds(20), () -> lingering(before).isEmpty(),
        () -> "threads started by " + context.getDisplayName() + " are still alive: " + lingering(before));
  }

  static Set<String> lingering(Set<Thread> before) {
    Set<String> names = new TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.isAlive() || before.contains(t)) continue;
      String name = t.getName();
      if (SHARED_POOLS.stream().noneMatch(name::startsWith)) names.add(name);
    }
    return names;
  }
}
