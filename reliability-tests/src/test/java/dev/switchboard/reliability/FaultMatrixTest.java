package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.HttpSettings;
import dev.switchboard.resilience.Timeouts;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testkit.logging.RecordingLogs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault matrix: every {@link Fault} against every provider, for non-streamed calls and
 * streams, with a healthy secondary target on another cloud and without one (and, for faults
 * that strike mid-stream, with stream restart opted in). Each cell must end in success by
 * failover or the right typed error, within the call's deadline, with an attempt trace that
 * names what happened, no HTTP call or connection left behind, and no secret in any message.
 * Every cell counts the requests each server received and compares them with the attempts the
 * trace shows, so a retry below Switchboard (OkHttp's own) cannot hide; and no exception may
 * escape on any thread (OkHttp's dispatcher threads included).
 * The observed outcomes are written as a table to {@code target/reliability/fault-matrix.md},
 * which {@code docs/reliability.md} reproduces.
 */
@ExtendWith(LeakGuard.class)
class FaultMatrixTest {
  static final Duration ATTEMPT = Duration.ofSeconds(1);
  static final Duration IDLE = Duration.ofSeconds(1);
  static final Duration CALL = Duration.ofSeconds(8);
  /** Only a hung call reaches this; the outcome of a cell is never timed. */
  static final Duration HANG_GUARD = CALL.plusSeconds(20);

  static final HttpSettings HTTP = HttpSettings.DEFAULTS.withConnectTimeout(Duration.ofSeconds(2))
      .withReadTimeout(Duration.ofSeconds(5)).withMaxResponseBytes(Fault.MAX_BODY).withMaxStreamLineBytes(Fault.MAX_LINE);

  enum Backup { SECONDARY, ALONE, RESTART }

  record Cell(Fault fault, Kind kind, boolean streaming, Backup backup) {
    @Override
    public String toString() {
      return fault + "/" + kind + "/" + (streaming ? "stream" : "chat") + "/" + backup;
    }
  }

  enum Outcome { FAILOVER, ERROR, INTERRUPTED, RESTARTED, SUCCEEDED_ON_PRIMARY }

  record Result(Outcome outcome, ErrorKind kind, int primaryAttempts) {
    String describe() {
      return switch (outcome) {
        case FAILOVER -> "failover after " + kind + " ×" + primaryAttempts;
        case ERROR -> kind + " ×" + primaryAttempts;
        case INTERRUPTED -> "interrupted: " + kind + ", partial kept";
        case RESTARTED -> "restarted after " + kind;
        case SUCCEEDED_ON_PRIMARY -> "succeeded on the faulty primary";
      };
    }
  }

  static final List<String> UNCAUGHT = new CopyOnWriteArrayList<>();
  static Thread.UncaughtExceptionHandler previousHandler;
  static final AtomicInteger CALLS = new AtomicInteger();
  static final AtomicInteger ATTEMPTS = new AtomicInteger();
  static final AtomicInteger FAULTS = new AtomicInteger();
  static final AtomicInteger SERVER_REQUESTS = new AtomicInteger();

  @BeforeAll
  static void watchUncaughtExceptions() {
    RecordingLogs.clear();
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> UNCAUGHT.add(t.getName() + ": " + e));
  }

  @AfterAll
  static void restoreUncaughtExceptionHandler() {
    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
  }

  static RoutingPolicy policy(boolean restart) {
    return RoutingPolicy.builder()
        .timeouts(Timeouts.builder().call(CALL).attempt(ATTEMPT).firstEvent(ATTEMPT).streamIdle(IDLE).build())
        .streamRestart(restart)
        .build();
  }

  static List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (Fault f : Fault.values()) {
      for (Kind k : Kind.values()) {
        for (boolean streaming : new boolean[] {false, true}) {
          if (!f.applies(k, streaming)) continue;
          cells.add(new Cell(f, k, streaming, Backup.SECONDARY));
          cells.add(new Cell(f, k, streaming, Backup.ALONE));
          if (f.midStream(streaming)) cells.add(new Cell(f, k, streaming, Backup.RESTART));
        }
      }
    }
    return cells;
  }

  static Result expected(Cell c) {
    ErrorKind kind = c.fault.kind(c.kind);
    int attempts = c.fault.primaryAttempts(c.kind, c.streaming, c.backup == Backup.ALONE);
    if (c.fault.midStream(c.streaming)) {
      return new Result(c.backup == Backup.RESTART ? Outcome.RESTARTED : Outcome.INTERRUPTED, kind, attempts);
    }
    return new Result(c.backup == Backup.ALONE ? Outcome.ERROR : Outcome.FAILOVER, kind, attempts);
  }

  @Test
  void everyFaultEndsInFailoverOrTheRightTypedErrorWithinTheDeadline() throws Exception {
    assertThat(RecordingLogs.active()).as("the recording SLF4J provider is active, so log lines are checked").isTrue();
    List<Cell> cells = cells();
    Map<Cell, Future<Result>> futures = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (Cell c : cells) futures.put(c, pool.submit(() -> run(c)));
      Map<Cell, Result> results = new LinkedHashMap<>();
      List<String> failures = new ArrayList<>();
      for (Map.Entry<Cell, Future<Result>> e : futures.entrySet()) {
        Cell c = e.getKey();
        try {
          Result r = e.getValue().get(HANG_GUARD.toSeconds() * 4, TimeUnit.SECONDS);
          results.put(c, r);
          if (!r.equals(expected(c))) failures.add(c + ": expected " + expected(c).describe() + ", got " + r.describe());
        } catch (ExecutionException ex) {
          Throwable t = ex.getCause();
          failures.add(c + ": " + t);
          if (!(t instanceof AssertionError)) t.printStackTrace();
        } catch (TimeoutException ex) {
          failures.add(c + ": HUNG");
        }
      }
      String table = writeTable(cells, results);
      assertThat(failures).as("cells whose outcome differs from the expected one").isEmpty();
      Path docs = Path.of("..", "docs", "reliability.md");
      if (Files.exists(docs)) {
        assertThat(Files.readString(docs)).as("docs/reliability.md shows the matrix as it is; copy it from "
            + "reliability-tests/target/reliability/fault-matrix.md").contains(table);
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> leakedSecrets = RecordingLogs.lines().stream()
        .filter(l -> Kind.SECRETS.stream().anyMatch(s -> l.text().contains(s)))
        .map(l -> l.level() + " " + l.logger() + ": " + l.text()).toList();
    assertThat(leakedSecrets).as("log lines (TRACE and up) holding a secret").isEmpty();
    assertThat(UNCAUGHT).as("exceptions that escaped on some thread").isEmpty();
    System.out.printf("fault matrix: %d cells, %d calls, %d attempts, %d requests counted by the servers, %d faults injected%n",
        cells.size(), CALLS.get(), ATTEMPTS.get(), SERVER_REQUESTS.get(), FAULTS.get());
  }

  // ---- one cell ---------------------------------------------------------------------------------

  static Result run(Cell c) throws Exception {
    CountDownLatch firstEvent = new CountDownLatch(1);
    FaultServer server = c.fault.needsServer() ? new FaultServer(c.fault.script(c.kind, c.streaming, firstEvent)) : null;
    // Each cell has a secondary server of its own, so that its request count is this cell's.
    HealthyServer healthy = c.backup == Backup.ALONE ? null : new HealthyServer(c.kind.secondary());
    try {
      String url = switch (c.fault) {
        case CONNECTION_REFUSED -> closedPort();
        case UNKNOWN_HOST -> "https://primary.reliability.invalid";
        default -> server.url();
      };
      Rig.Builder b = Rig.builder(c.kind, url).http(HTTP).policy(policy(c.backup == Backup.RESTART));
      if (healthy != null) b.secondary(c.kind.secondary(), healthy.url());
      String answer = HealthyServer.text(c.kind.secondary());
      List<Attempt> trace = new ArrayList<>();
      try (Rig rig = b.build()) {
        CALLS.incrementAndGet();
        Result r = c.streaming ? stream(c, rig, firstEvent, answer, trace) : chat(c, rig, answer, trace);
        rig.assertQuiescent();
        assertServerCounts(c, trace, server, healthy);
        // The listener hears of the end just after the caller does.
        Waits.until(Duration.ofSeconds(10), () -> !rig.ends().isEmpty(), () -> c + ": the call listener never heard the call end");
        assertThat(rig.ends()).as("one call ended").hasSize(1);
        Duration took = rig.ends().get(0).duration();
        assertThat(took).as("%s ended within the call's deadline", c).isLessThanOrEqualTo(CALL);
        return r;
      }
    } finally {
      if (healthy != null) healthy.close();
      if (server != null) {
        server.close();
        FAULTS.addAndGet(server.served());
      } else {
        FAULTS.addAndGet(c.fault.primaryAttempts(c.kind, c.streaming, c.backup == Backup.ALONE));
      }
    }
  }

  /**
   * Each server received exactly one request per attempt the trace shows on its target (skipped
   * targets sent nothing). Where no server exists (a refused port, an unresolvable name) every
   * traced attempt must be a NETWORK failure that never sent a request.
   */
  static void assertServerCounts(Cell c, List<Attempt> trace, FaultServer primary, HealthyServer secondary) {
    long onPrimary = sent(trace, "primary");
    long onSecondary = sent(trace, "secondary");
    if (primary != null) {
      // A server counts a request once it has read it; the client may have given up first.
      Waits.until(Duration.ofSeconds(5), () -> primary.served() >= onPrimary,
          () -> c + ": the primary server received " + primary.served() + " requests, the trace shows " + onPrimary + " attempts");
      assertThat(primary.served()).as("%s: requests the primary server received = attempts traced on it (%s)", c, trace)
          .isEqualTo(onPrimary);
    } else {
      assertThat(trace).filteredOn(a -> a.target().deployment().equals("primary"))
          .as("%s: attempts on a target with no server", c)
          .allSatisfy(a -> assertThat(a.errorKind()).contains(ErrorKind.NETWORK));
    }
    if (secondary != null) {
      Waits.until(Duration.ofSeconds(5), () -> secondary.calls() >= onSecondary,
          () -> c + ": the secondary server received " + secondary.calls() + " requests, the trace shows " + onSecondary + " attempts");
      assertThat(secondary.calls()).as("%s: requests the secondary server received = attempts traced on it (%s)", c, trace)
          .isEqualTo(onSecondary);
    } else {
      assertThat(onSecondary).isZero();
    }
    SERVER_REQUESTS.addAndGet((primary == null ? 0 : primary.served()) + (secondary == null ? 0 : secondary.calls()));
  }

  static long sent(List<Attempt> trace, String deployment) {
    return trace.stream().filter(a -> a.target().deployment().equals(deployment) && a.outcome() != Attempt.Outcome.SKIPPED).count();
  }

  static ChatRequest request() {
    return ChatRequest.builder(Rig.ALIAS).user("Say hello.").build();
  }

  static Result chat(Cell c, Rig rig, String answer, List<Attempt> trace) throws Exception {
    try {
      ChatResponse r = rig.switchboard.chatAsync(request()).get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
      ATTEMPTS.addAndGet(r.attempts().size());
      trace.addAll(r.attempts());
      assertThat(r.text()).as("%s answer", c).isEqualTo(answer);
      return succeeded(c, r, false);
    } catch (ExecutionException e) {
      SwitchboardException se = typed(c, e.getCause());
      ATTEMPTS.addAndGet(se.attempts().size());
      trace.addAll(se.attempts());
      return failed(c, se);
    }
  }

  static Result stream(Cell c, Rig rig, CountDownLatch firstEvent, String answer, List<Attempt> trace) {
    List<ChatEvent> events = new ArrayList<>();
    try (ChatStream s = rig.switchboard.stream(request())) {
      try {
        for (ChatEvent e : s) {
          events.add(e);
          if (e instanceof ChatEvent.TextDelta) firstEvent.countDown();
        }
      } catch (RuntimeException e) {
        SwitchboardException se = typed(c, e);
        ATTEMPTS.addAndGet(se.attempts().size());
        trace.addAll(se.attempts());
        if (se instanceof StreamInterruptedException si) {
          assertThat(si.partial().text()).as("%s partial output", c).isEqualTo("hello");
        }
        return failed(c, se);
      }
      ChatResponse r = s.response().join();
      ATTEMPTS.addAndGet(r.attempts().size());
      trace.addAll(r.attempts());
      long resets = events.stream().filter(ChatEvent.Reset.class::isInstance).count();
      assertThat(r.text()).as("%s answer", c).isEqualTo(answer);
      assertThat(resets).as("%s Reset events", c).isEqualTo(c.backup == Backup.RESTART ? 1 : 0);
      return succeeded(c, r, resets > 0);
    }
  }

  static SwitchboardException typed(Cell c, Throwable t) {
    assertThat(t).as("%s failure type", c).isInstanceOf(SwitchboardException.class);
    SwitchboardException e = (SwitchboardException) t;
    Secrets.assertNone(c + " exception", e);
    return e;
  }

  static Result succeeded(Cell c, ChatResponse r, boolean restarted) {
    List<Attempt> failed = primaryFailures(c, r.attempts());
    for (Attempt a : r.attempts()) a.error().ifPresent(e -> Secrets.assertNone(c + " attempt", e));
    if (r.servedBy().deployment().equals("primary")) return new Result(Outcome.SUCCEEDED_ON_PRIMARY, null, 0);
    assertThat(r.attempts()).last().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
      assertThat(a.target().deployment()).isEqualTo("secondary");
    });
    return new Result(restarted ? Outcome.RESTARTED : Outcome.FAILOVER, kindOf(c, failed), failed.size());
  }

  static Result failed(Cell c, SwitchboardException e) {
    List<Attempt> failed = primaryFailures(c, e.attempts());
    assertThat(e.attempts()).as("%s: an error ending the call lists its attempts", c).isNotEmpty();
    if (!failed.isEmpty()) {
      assertThat(e.kind()).as("%s: the call's kind is the last attempt's", c).isEqualTo(failed.get(failed.size() - 1).errorKind().get());
    }
    return new Result(e instanceof StreamInterruptedException ? Outcome.INTERRUPTED : Outcome.ERROR, e.kind(), failed.size());
  }

  /** The primary's failed attempts; each must name its kind and carry a description. */
  static List<Attempt> primaryFailures(Cell c, List<Attempt> trace) {
    List<Attempt> failed = trace.stream()
        .filter(a -> a.target().deployment().equals("primary") && a.outcome() == Attempt.Outcome.FAILED).toList();
    for (Attempt a : failed) {
      SwitchboardException e = a.error().orElseThrow();
      assertThat(e.detail()).as("%s attempt description", c).isNotBlank();
      assertThat(e.target()).as("%s attempt target", c).contains("primary");
      assertThat(a.toString()).contains(e.kind().name());
    }
    return failed;
  }

  static ErrorKind kindOf(Cell c, List<Attempt> failed) {
    if (failed.isEmpty()) return null;
    ErrorKind k = failed.get(0).errorKind().orElseThrow();
    assertThat(failed).as("%s: every failed attempt has the same kind", c).allMatch(a -> a.errorKind().equals(Optional.of(k)));
    return k;
  }

  static String closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  // ---- the table --------------------------------------------------------------------------------

  static String writeTable(List<Cell> cells, Map<Cell, Result> results) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("| fault | provider | chat, with secondary | chat, alone | stream, with secondary | stream, alone | stream, restart on |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    for (Fault f : Fault.values()) {
      for (Kind k : Kind.values()) {
        sb.append("| ").append(f.label).append(" | ").append(k.label);
        for (boolean streaming : new boolean[] {false, true}) {
          for (Backup b : streaming ? Backup.values() : new Backup[] {Backup.SECONDARY, Backup.ALONE}) {
            Cell c = new Cell(f, k, streaming, b);
            String text;
            if (!f.applies(k, streaming)) text = b == Backup.SECONDARY ? f.notApplicable(k, streaming) : "";
            else if (b == Backup.RESTART && !f.midStream(true)) text = "(as with secondary)";
            else if (!results.containsKey(c)) text = "FAILED TO RUN";
            else text = results.get(c).describe() + (results.get(c).equals(expected(c)) ? "" : " ≠ expected " + expected(c).describe());
            sb.append(" | ").append(text);
          }
        }
        sb.append(" |\n");
      }
    }
    Path out = Path.of("target", "reliability", "fault-matrix.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    return sb.toString();
  }
}
