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
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.resilience.HedgingPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.resilience.Timeouts;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.RoutingStrategy;
import dev.switchboard.testing.VirtualTime;
import dev.switchboard.testkit.logging.RecordingLogs;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine soak: {@value #DEFAULT_CALLS} calls by default ({@code -Psoak}: 100,000) through three
 * targets that fail 20% of attempts in every way a provider can (typed errors, 429s short and
 * day-long, hangs, streams broken or stalled after their first events) after random latencies,
 * all on {@link VirtualTime}, so minutes of backoff, deadlines and cooldowns pass in seconds and
 * every run is the same. Calls arrive at 200 per virtual second over two aliases (priority
 * failover, and round-robin with hedging), 30% of them streams; for the middle fifth of the run
 * one target is down outright, so the retry budget has to bind. Afterwards: no call hung, every
 * failure a {@link SwitchboardException}, no attempt left running, every attempt the providers
 * saw listed in a trace, the retry budget's bound held at every draw, and the heap back to its
 * baseline.
 */
@ExtendWith(LeakGuard.class)
class EngineSoakTest {
  static final int DEFAULT_CALLS = 10_000;
  static final int CALLS = Integer.getInteger("switchboard.soak.calls", DEFAULT_CALLS);
  static final double FAULT_RATE = 0.2;
  static final RetryBudgetPolicy BUDGET = RetryBudgetPolicy.DEFAULTS;

  /** What one run saw. */
  static final class Tally {
    final AtomicInteger ended = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicInteger untyped = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    final AtomicLong tracedAttempts = new AtomicLong();
    final Map<ErrorKind, AtomicInteger> failures = new EnumMap<>(ErrorKind.class);
    final List<WeakReference<Object>> sample = new ArrayList<>();
    final List<String> untypedExamples = new ArrayList<>();

    Tally() {
      for (ErrorKind k : ErrorKind.values()) failures.put(k, new AtomicInteger());
    }

    void succeeded(ChatResponse r, int i) {
      count(r.attempts());
      succeeded.incrementAndGet();
      keep(r, i);
      ended.incrementAndGet();
    }

    void failed(Throwable t, int i) {
      Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (e instanceof SwitchboardException se) {
        count(se.attempts());
        failures.get(se.kind()).incrementAndGet();
        if (se instanceof StreamInterruptedException) interrupted.incrementAndGet();
        keep(se, i);
      } else {
        untyped.incrementAndGet();
        if (untypedExamples.size() < 5) untypedExamples.add(String.valueOf(e));
      }
      ended.incrementAndGet();
    }

    private void count(List<Attempt> trace) {
      tracedAttempts.addAndGet(trace.stream().filter(a -> a.outcome() != Attempt.Outcome.SKIPPED).count());
    }

    private void keep(Object o, int i) {
      if (i % 97 == 0) sample.add(new WeakReference<>(o));
    }
  }

  record Run(Tally tally, BudgetLedger ledger, List<FlakyProvider> providers, int calls) {
    long attempts() {
      return providers.stream().mapToLong(p -> p.attempts.get()).sum();
    }

    long faults() {
      return providers.stream().mapToLong(p -> p.faults.get()).sum();
    }
  }

  static Run run(int calls, long seed) {
    VirtualTime time = new VirtualTime();
    List<FlakyProvider> providers = List.of(new FlakyProvider("a", time, seed + 1, FAULT_RATE),
        new FlakyProvider("b", time, seed + 2, FAULT_RATE), new FlakyProvider("c", time, seed + 3, FAULT_RATE));
    BudgetLedger ledger = new BudgetLedger(time, BUDGET);
    Timeouts timeouts = Timeouts.builder().call(Duration.ofSeconds(10)).attempt(Duration.ofSeconds(3))
        .firstEvent(Duration.ofSeconds(3)).streamIdle(Duration.ofSeconds(2)).build();
    Tally tally = new Tally();
    Random random = new Random(seed);
    try (Switchboard sb = Switchboard.builder().time(time, time).random(new Random(seed * 31))
        .deployment("a", providers.get(0)).deployment("b", providers.get(1)).deployment("c", providers.get(2))
        .model(ModelAlias.builder("failover").target("a", "m").target("b", "m").target("c", "m")
            .routing(RoutingPolicy.builder().timeouts(timeouts).build()).build())
        .model(ModelAlias.builder("spread").target("a", "m").target("b", "m").target("c", "m")
            .routing(RoutingPolicy.builder().timeouts(timeouts).strategy(RoutingStrategy.roundRobin())
            .hedging(HedgingPolicy.fixed(Duration.ofMillis(900))).build()).build())
        // Targets that answered 429 or ran out of quota come back within seconds, not the default
        // minutes: with 2% of attempts saying "retry after a day", default cooldowns would soon
        // leave no target at all and the soak would only exercise the everything-skipped path.
        .cooldown(new CooldownPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(2)))
        .retryBudget(BUDGET).callListenerFactory(ledger).build()) {
      for (int i = 0; i < calls; i++) {
        int n = i;
        // Target a is down for the middle fifth of the run: every caller wants a retry, and the
        // retry budget must hold the extra load to its bound.
        providers.get(0).down = i >= calls * 2 / 5 && i < calls * 3 / 5;
        ChatRequest request = ChatRequest.of(random.nextBoolean() ? "failover" : "spread", "hi");
        if (random.nextDouble() < 0.3) {
          ChatStream[] stream = new ChatStream[1];
          stream[0] = sb.stream(request);
          stream[0].listen(new ChatStreamListener() {
            @Override
            public void onEvent(ChatEvent event) {}

            @Override
            public void onComplete(ChatResponse response) {
              tally.succeeded(response, n);
              stream[0].close();
            }

            @Override
            public void onError(dev.switchboard.SwitchboardException error) {
              tally.failed(error, n);
              stream[0].close();
            }
          });
        } else {
          sb.chatAsync(request).whenComplete((r, e) -> {
            if (e != null) tally.failed(e, n);
            else tally.succeeded(r, n);
          });
        }
        time.advance(Duration.ofMillis(5));
        // The recording log provider keeps every line at TRACE; drop them as we go so the test
        // harness's own memory does not grow with the run (the heap check is about the library).
        if (i % 500 == 0) RecordingLogs.clear();
      }
      time.advance(Duration.ofMinutes(2)); // past every deadline, cooldown and backoff
      assertThat(tally.ended.get()).as("calls that ended (the rest hung)").isEqualTo(calls);
      assertThat(time.pendingTasks()).as("timers left behind").isLessThanOrEqualTo(providers.size() * 2);
    }
    RecordingLogs.clear();
    return new Run(tally, ledger, providers, calls);
  }

  static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  @Test
  void soak() {
    run(1000, 7); // warm-up: classes loaded, JIT and pools settled
    long baseline = usedHeapAfterGc();
    Run run = run(CALLS, 42);
    Tally t = run.tally();

    assertThat(t.untyped.get()).as("untyped failures, e.g. %s", t.untypedExamples).isZero();
    for (FlakyProvider p : run.providers()) {
      assertThat(p.outstanding.get()).as("attempts still running on %s", p).isZero();
    }
    assertThat(t.tracedAttempts.get()).as("attempts in the calls' traces = attempts the providers saw").isEqualTo(run.attempts());
    double worst = run.ledger().assertEveryDrawWithinTheSlidingWindowBound();
    double runBound = run.ledger().assertTotalWithinTheRunBound();
    assertThat(run.ledger().calls.get()).isEqualTo(CALLS);
    assertThat(run.ledger().denied.get()).as("retries the budget refused during the outage (it was exercised)").isPositive();
    assertThat(run.attempts()).as("total attempts: every call's first, at most 2 failovers each, and the budgeted draws")
        .isLessThanOrEqualTo(3L * CALLS + run.ledger().draws());

    long after = usedHeapAfterGc();
    t.sample.forEach(ref -> assertThat(ref.get()).as("a finished call's response or error is still held").isNull());
    assertThat(after - baseline).as("heap growth after the soak (baseline %d MB)", baseline >> 20).isLessThan(16L << 20);

    System.out.printf("engine soak: %d calls, %d attempts, %d faults injected, %d ok, failures %s (%d interrupted streams),"
            + " 0 hung, %d untyped; budget draws %d (retries %d, hedges %d, denied %d; run bound %.0f, worst window %.0f%%),"
            + " failovers %d; heap %+d KB%n",
        CALLS, run.attempts(), run.faults(), t.succeeded.get(), nonZero(t.failures), t.interrupted.get(), t.untyped.get(),
        run.ledger().draws(), run.ledger().retries.get(), run.ledger().hedges.get(), run.ledger().denied.get(), runBound,
        worst * 100, run.ledger().failovers.get(), (after - baseline) >> 10);
  }

  static Map<ErrorKind, Integer> nonZero(Map<ErrorKind, AtomicInteger> m) {
    Map<ErrorKind, Integer> out = new EnumMap<>(ErrorKind.class);
    m.forEach((k, v) -> {
      if (v.get() > 0) out.put(k, v.get());
    });
    return out;
  }
}
