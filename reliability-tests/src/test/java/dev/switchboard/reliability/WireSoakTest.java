package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.HttpSettings;
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.resilience.Timeouts;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.RoutingStrategy;
import dev.switchboard.testkit.logging.RecordingLogs;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wire soak: {@code switchboard.soak.calls} calls (10,000 by default, 100,000 with
 * {@code -Psoak}) through the three real providers, each against its own loopback
 * {@link FaultServer} that answers 80% of requests correctly after a random latency of 0–3 ms
 * and 20% with a fault of the matrix (resets before and during the body or stream, 5xx, HTML
 * pages, 429s, malformed, empty, truncated and oversized bodies, in-stream errors, stalls).
 * Calls go round-robin over OpenAI, Azure and Bedrock, 32 at a time, 30% streamed. Afterwards:
 * no call hung, every failure typed and free of secrets, every HTTP request the servers read
 * accounted for in a trace, retries and hedges within the budget's bound, no HTTP call or
 * connection left, no secret in the logs, and the heap back to its baseline.
 */
@ExtendWith(LeakGuard.class)
class WireSoakTest {
  static final int CALLS = Integer.getInteger("switchboard.soak.calls", 10_000);
  // -Dswitchboard.soak.seed=N replays another mix of faults and prompts (stream or not).
  static final double FAULT_RATE = 0.2;
  static final int CONCURRENCY = 32;
  static final RetryBudgetPolicy BUDGET = RetryBudgetPolicy.DEFAULTS;
  static final HttpSettings HTTP = HttpSettings.DEFAULTS.withConnectTimeout(Duration.ofSeconds(2))
      .withReadTimeout(Duration.ofSeconds(5)).withMaxResponseBytes(Fault.MAX_BODY).withMaxStreamLineBytes(Fault.MAX_LINE);

  /** The faults a soak server injects, with weights (per 1000 faults). Slow ones are rare. */
  static final Map<Fault, Integer> MIX = mix();

  static Map<Fault, Integer> mix() {
    Map<Fault, Integer> m = new EnumMap<>(Fault.class);
    m.put(Fault.RESET_BEFORE_HEADERS, 100);
    m.put(Fault.RESET_MID_BODY, 60);
    m.put(Fault.CLOSED_MID_BODY, 60);
    m.put(Fault.RESET_MID_STREAM, 60);
    m.put(Fault.HTTP_500, 100);
    m.put(Fault.HTTP_502, 60);
    m.put(Fault.HTTP_503, 100);
    m.put(Fault.HTTP_504, 40);
    m.put(Fault.HTML_502, 60);
    m.put(Fault.MALFORMED_JSON, 60);
    m.put(Fault.EMPTY_200, 40);
    m.put(Fault.TRUNCATED, 60);
    m.put(Fault.IN_STREAM_ERROR, 60);
    m.put(Fault.TOO_LARGE, 30);
    m.put(Fault.RATE_LIMITED_SHORT, 20);
    m.put(Fault.RATE_LIMITED_DAY, 5);
    m.put(Fault.HEADERS_TOO_SLOW, 5);
    m.put(Fault.STALL, 5);
    return m;
  }

  /** A soak server's script: mostly healthy, sometimes a fault, after a little latency. */
  static final class SoakScript implements FaultServer.Script {
    private static final Pattern CALL_NUMBER = Pattern.compile("soak call #(\\d+)\\.");
    private static final CountDownLatch NO_WAIT = new CountDownLatch(0);
    private final Kind kind;
    private final Random random;
    final AtomicInteger faults = new AtomicInteger();
    final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
    /** Per call number (from the prompt), what this server answered, in order; to name a miscount. */
    final Map<Integer, List<String>> servedByCall = new ConcurrentHashMap<>();

    SoakScript(Kind kind, long seed) {
      this.kind = kind;
      this.random = new Random(seed);
    }

    @Override
    public void serve(FaultServer.Exchange ex) throws IOException {
      boolean streaming = kind == Kind.BEDROCK ? ex.request.target().contains("/converse-stream")
          : ex.request.bodyText().contains("\"stream\":true");
      Fault fault;
      int latency;
      synchronized (random) {
        latency = random.nextInt(4);
        fault = random.nextDouble() < FAULT_RATE ? pick(streaming) : null;
      }
      if (latency > 0) {
        try {
          Thread.sleep(latency); // the server's own latency, not the test waiting for time
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      served(ex, streaming, fault);
      if (fault == null) {
        if (streaming) ex.respond(200, kind.streamContentType(), kind.stream("hello", " from ", kind.label));
        else ex.respond(200, kind.chatContentType(), kind.chat("hello from " + kind.label));
        return;
      }
      faults.incrementAndGet();
      injected.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
      fault.script(kind, streaming, NO_WAIT).serve(ex);
    }

    private void served(FaultServer.Exchange ex, boolean streaming, Fault fault) {
      Matcher m = CALL_NUMBER.matcher(ex.request.bodyText());
      int call = m.find() ? Integer.parseInt(m.group(1)) : -1;
      servedByCall.computeIfAbsent(call, c -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(kind.label + (streaming ? " stream " : " chat ") + (fault == null ? "ok" : fault.name()));
    }

    private Fault pick(boolean streaming) {
      while (true) {
        int n = random.nextInt(1000);
        for (Map.Entry<Fault, Integer> e : MIX.entrySet()) {
          n -= e.getValue();
          if (n < 0) {
            if (e.getKey().applies(kind, streaming)) return e.getKey();
            break;
          }
        }
      }
    }
  }

  /** What one run saw. */
  static final class Tally {
    final AtomicInteger ended = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicInteger untyped = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    final AtomicLong tracedAttempts = new AtomicLong();
    final AtomicInteger maxAttempts = new AtomicInteger();
    final Map<ErrorKind, AtomicInteger> failures = new ConcurrentHashMap<>();
    final List<WeakReference<Object>> sample = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

    void succeeded(ChatResponse r, int i) {
      count(i, r.attempts());
      succeeded.incrementAndGet();
      if (i % 97 == 0) sample.add(new WeakReference<>(r));
    }

    void failed(Throwable t, int i) {
      Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (e instanceof SwitchboardException se) {
        count(i, se.attempts());
        failures.computeIfAbsent(se.kind(), k -> new AtomicInteger()).incrementAndGet();
        if (se instanceof StreamInterruptedException) interrupted.incrementAndGet();
        try {
          Secrets.assertNone("call " + i, se);
        } catch (AssertionError secret) {
          problems.add(secret.getMessage());
        }
        if (i % 97 == 0) sample.add(new WeakReference<>(se));
      } else {
        untyped.incrementAndGet();
        problems.add("untyped: " + e);
      }
    }

    /** Per call number, its trace (attempts that were not skipped); to name a miscount. */
    final Map<Integer, List<Attempt>> traced = new ConcurrentHashMap<>();

    private void count(int call, List<Attempt> trace) {
      List<Attempt> sent = trace.stream().filter(a -> a.outcome() != Attempt.Outcome.SKIPPED).toList();
      traced.put(call, sent);
      int n = sent.size();
      tracedAttempts.addAndGet(n);
      maxAttempts.accumulateAndGet(n, Math::max);
    }
  }

  record Run(Tally tally, BudgetLedger ledger, List<SoakScript> scripts, long served, Duration took) {
    long faults() {
      return scripts.stream().mapToLong(s -> s.faults.get()).sum();
    }
  }

  static Run run(int calls, long seed) throws Exception {
    List<SoakScript> scripts = new ArrayList<>();
    List<FaultServer> servers = new ArrayList<>();
    Probe probe = new Probe();
    BudgetLedger ledger = new BudgetLedger(Clock.systemUTC(), BUDGET);
    Tally tally = new Tally();
    long start = System.nanoTime();
    try {
      Switchboard.Builder b = Switchboard.builder().http(HTTP)
          .httpClient(new OkHttpClient.Builder().dns(LoopbackDns.INSTANCE).build())
          .providerFactory(probe).deployment(Probe.DEPLOYMENT)
          .routing(RoutingPolicy.builder().strategy(RoutingStrategy.roundRobin())
              .timeouts(Timeouts.builder().call(Duration.ofSeconds(10)).attempt(Duration.ofMillis(800))
                  .firstEvent(Duration.ofMillis(800)).streamIdle(Duration.ofMillis(800)).build())
              .build())
          // Short cooldowns: the load is closed-loop (32 calls in flight), so while every target
          // cooled down after a 429 the run would spend thousands of calls failing fast.
          .cooldown(new CooldownPolicy(Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofMillis(200)))
          .retryBudget(BUDGET).callListenerFactory(ledger);
      ModelAlias.Builder alias = ModelAlias.builder("soak");
      for (Kind k : Kind.values()) {
        SoakScript script = new SoakScript(k, seed + k.ordinal());
        FaultServer server = new FaultServer(script).withoutRecording();
        scripts.add(script);
        servers.add(server);
        String name = k.name().toLowerCase(java.util.Locale.ROOT);
        b.deployment(k.deployment(name, server.url()));
        alias.target(name, k.model);
      }
      Random random = new Random(seed);
      Semaphore inFlight = new Semaphore(CONCURRENCY);
      try (Switchboard sb = b.model(alias.build()).build()) {
        for (int i = 0; i < calls; i++) {
          int n = i;
          inFlight.acquire();
          ChatRequest request = ChatRequest.of("soak", "hi, soak call #" + n + ".");
          if (random.nextDouble() < 0.3) {
            ChatStream[] s = new ChatStream[1];
            s[0] = sb.stream(request);
            s[0].listen(new ChatStreamListener() {
              @Override
              public void onEvent(ChatEvent event) {}

              @Override
              public void onComplete(ChatResponse response) {
                tally.succeeded(response, n);
                done(s[0]);
              }

              @Override
              public void onError(SwitchboardException error) {
                tally.failed(error, n);
                done(s[0]);
              }

              private void done(ChatStream stream) {
                stream.close();
                tally.ended.incrementAndGet();
                inFlight.release();
              }
            });
          } else {
            sb.chatAsync(request).whenComplete((r, e) -> {
              if (e != null) tally.failed(e, n);
              else tally.succeeded(r, n);
              tally.ended.incrementAndGet();
              inFlight.release();
            });
          }
          if (i % 1000 == 999) checkAndClearLogs(tally);
        }
        // Bounded only so that a broken build cannot hang: every call has a 10 s deadline.
        Waits.until(Duration.ofSeconds(60), () -> tally.ended.get() == calls,
            () -> (calls - tally.ended.get()) + " calls hung");
        OkHttpClient client = probe.context().httpClient();
        ConnectionPool pool = client.connectionPool();
        Waits.until(Duration.ofSeconds(10), () -> client.dispatcher().runningCallsCount() == 0
                && pool.connectionCount() == pool.idleConnectionCount(),
            () -> "after the soak: " + client.dispatcher().runningCallsCount() + " HTTP calls running, "
                + (pool.connectionCount() - pool.idleConnectionCount()) + " connections in use");
      }
    } finally {
      servers.forEach(FaultServer::close);
    }
    checkAndClearLogs(tally);
    long served = servers.stream().mapToLong(FaultServer::served).sum();
    return new Run(tally, ledger, scripts, served, Duration.ofNanos(System.nanoTime() - start));
  }

  static void checkAndClearLogs(Tally tally) {
    for (RecordingLogs.Line l : RecordingLogs.lines()) {
      for (String secret : Kind.SECRETS) {
        if (l.text().contains(secret)) tally.problems.add("log line with a secret: " + l.logger());
      }
    }
    RecordingLogs.clear();
  }

  /** The calls whose traces and the servers' logs disagree, each with both sides; empty when they agree. */
  static String miscounted(Run run) {
    Map<Integer, List<String>> served = new java.util.TreeMap<>();
    run.scripts().forEach(s -> s.servedByCall.forEach((call, l) -> served.computeIfAbsent(call, c -> new ArrayList<>()).addAll(l)));
    StringBuilder out = new StringBuilder();
    java.util.Set<Integer> calls = new java.util.TreeSet<>(served.keySet());
    calls.addAll(run.tally().traced.keySet());
    for (int call : calls) {
      List<String> s = served.getOrDefault(call, List.of());
      List<Attempt> a = run.tally().traced.getOrDefault(call, List.of());
      if (s.size() == a.size()) continue;
      out.append("\n  call #").append(call).append(": servers read ").append(s).append("; trace ")
          .append(a.stream().map(x -> x.target() + " " + x.outcome() + x.error().map(e -> " " + e.kind()).orElse("")
              + " " + x.duration().toMillis() + " ms" + x.note().map(w -> " (" + w + ")").orElse("")).toList());
      if (out.length() > 4000) break;
    }
    return out.length() == 0 ? "" : " (calls that differ:" + out + ")";
  }

  @Test
  void soak() throws Exception {
    assertThat(RecordingLogs.active()).isTrue();
    run(500, 3); // warm-up
    long baseline = EngineSoakTest.usedHeapAfterGc();
    Run run = run(CALLS, Long.getLong("switchboard.soak.seed", 11));
    Tally t = run.tally();

    assertThat(t.problems).as("untyped failures and secrets shown").isEmpty();
    assertThat(t.ended.get()).isEqualTo(CALLS);
    assertThat(t.maxAttempts.get()).as("attempts of one call: 3 targets × (1 + 1 retry)").isLessThanOrEqualTo(6);
    assertThat(t.tracedAttempts.get()).as("attempts in the traces = requests the servers read%s", miscounted(run))
        .isEqualTo(run.served());
    double runBound = run.ledger().assertTotalWithinTheRunBound();

    long after = EngineSoakTest.usedHeapAfterGc();
    t.sample.forEach(ref -> assertThat(ref.get()).as("a finished call's response or error is still held").isNull());
    assertThat(after - baseline).as("heap growth after the soak (baseline %d MB)", baseline >> 20).isLessThan(16L << 20);

    Map<String, Integer> injected = new java.util.TreeMap<>();
    run.scripts().forEach(s -> s.injected.forEach((f, n) -> injected.merge(f.name(), n.get(), Integer::sum)));
    Map<ErrorKind, Integer> failures = new EnumMap<>(ErrorKind.class);
    t.failures.forEach((k, v) -> failures.put(k, v.get()));
    System.out.printf("wire soak: %d calls in %d s, %d HTTP requests, %d faults injected %s, %d ok, failures %s"
            + " (%d interrupted streams), 0 hung, %d untyped; budget draws %d (denied %d, run bound %.0f), failovers %d;"
            + " heap %+d KB%n",
        CALLS, run.took().toSeconds(), run.served(), run.faults(), injected, t.succeeded.get(), failures, t.interrupted.get(),
        t.untyped.get(), run.ledger().draws(), run.ledger().denied.get(), runBound, run.ledger().failovers.get(),
        (after - baseline) >> 10);
  }
}
