package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.switchboard.testkit.logging.RecordingLogs;

/** An outage must not multiply traffic: retries and hedges stay within the budget's bound. */
class RetryBudgetTest {
  private static final int CALLS = 600;
  private static final Duration SPACING = Duration.ofMillis(100); // 10 calls per second, 60 s in all

  private final Harness h = new Harness();

  /** Thousands of calls log at DEBUG into the recording logger; keep it from growing across tests. */
  @AfterEach
  void dropRecordedLogs() {
    RecordingLogs.clear();
  }

  /** Attempts of one outage run, split by why they were made. */
  record Counts(int calls, int first, int retries, int failovers, int total, int budgetRefusals) {}

  private Counts outage(RetryBudgetPolicy budget) {
    MockProvider a = h.mock().otherwiseFail(ErrorKind.UNAVAILABLE);
    MockProvider b = h.mock().otherwiseFail(ErrorKind.SERVER_ERROR);
    MockProvider c = h.mock().otherwiseFail(ErrorKind.NETWORK);
    AtomicInteger refusals = new AtomicInteger();
    CallListener.Factory counting = call -> new CallListener() {
      @Override
      public void retryBudgetExhausted(TargetRef target) {
        refusals.incrementAndGet();
      }
    };
    int first = 0;
    int retries = 0;
    int failovers = 0;
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).deployment("c", c)
        .model(alias("chat", "a", "b", "c")).retryBudget(budget).callListenerFactory(counting)
        // Circuits off: this test isolates the budget (open circuits would cut traffic further).
        .circuitBreaker(CircuitBreakerPolicy.DISABLED)
        .routing(RoutingPolicy.builder().retry(RetryPolicy.builder().maxRetries(2).build()).build()).build()) {
      for (int i = 0; i < CALLS; i++) {
        SwitchboardException e = h.failure(sb.chatAsync(request("chat")));
        List<Attempt> tried = e.attempts().stream().filter(x -> x.outcome() != Attempt.Outcome.SKIPPED).toList();
        first++;
        for (int j = 1; j < tried.size(); j++) {
          if (tried.get(j).target().equals(tried.get(j - 1).target())) retries++;
          else failovers++;
        }
        h.time.advance(SPACING);
        if (i % 100 == 99) RecordingLogs.clear();
      }
    }
    int total = a.callCount() + b.callCount() + c.callCount();
    assertThat(first + retries + failovers).isEqualTo(total);
    return new Counts(CALLS, first, retries, failovers, total, refusals.get());
  }

  @Test
  void outageStaysWithinTheBudgetsBound() {
    RetryBudgetPolicy budget = RetryBudgetPolicy.DEFAULTS; // 20 % of calls + 1 per second, over 10 s
    Counts n = outage(budget);
    // Windows are 10 s; the test spans 60 s plus the backoff waits, so at most 8 windows contribute a floor.
    double windows = Math.ceil(CALLS * SPACING.toMillis() / 10_000.0) + 2;
    double retryBound = budget.ratio() * CALLS + budget.minPerSecond() * 10 * windows;
    assertThat((double) n.retries()).as("retries %s", n).isLessThanOrEqualTo(retryBound);
    // Without the budget each call could make 9 attempts (3 per target); with it, a call whose retry
    // was refused fails over at most once, and every further failover needed budget to be left.
    assertThat(n.total()).as("total %s", n).isLessThanOrEqualTo((int) (2 * CALLS + 2 * retryBound));
    assertThat(n.budgetRefusals()).as("refusals %s", n).isGreaterThan(CALLS / 2);
    assertThat(n.total()).as("total %s", n).isLessThan(3 * CALLS);
  }

  @Test
  void withoutABudgetTheSameOutageMultipliesTraffic() {
    Counts n = outage(RetryBudgetPolicy.UNLIMITED);
    assertThat(n.total()).isEqualTo(9 * CALLS);
    assertThat(n.budgetRefusals()).isZero();
  }

  @Test
  void hedgesDrawOnTheBudget() {
    MockProvider a = h.mock().latency(Duration.ofSeconds(5)).otherwiseReply("slow a");
    MockProvider b = h.mock().latency(Duration.ofMillis(100)).otherwiseReply("fast b");
    AtomicInteger refusals = new AtomicInteger();
    CallListener.Factory counting = call -> new CallListener() {
      @Override
      public void retryBudgetExhausted(TargetRef target) {
        refusals.incrementAndGet();
      }
    };
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b"))
        .retryBudget(RetryBudgetPolicy.of(0, 0)).callListenerFactory(counting)
        .routing(RoutingPolicy.builder().hedging(HedgingPolicy.fixed(Duration.ofSeconds(1))).build()).build()) {
      var r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.text()).isEqualTo("slow a"); // no budget, no hedge
      b.assertCallCount(0);
      assertThat(refusals).hasValue(1);
    }
  }

  @Test
  void budgetRefillsAsTheWindowSlides() {
    MockProvider a = h.mock().otherwiseFail(ErrorKind.UNAVAILABLE);
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a"))
        .circuitBreaker(CircuitBreakerPolicy.DISABLED).retryBudget(RetryBudgetPolicy.of(0, 0.1)).build()) {
      // 0.1 per second over 10 s: one retry per window.
      assertThat(h.failure(sb.chatAsync(request("chat"))).attempts()).hasSize(2);
      assertThat(h.failure(sb.chatAsync(request("chat"))).attempts()).hasSize(1);
      h.time.advance(Duration.ofSeconds(11));
      assertThat(h.failure(sb.chatAsync(request("chat"))).attempts()).hasSize(2);
    }
  }
}
