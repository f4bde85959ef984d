package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.RetryBudgetPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records, through {@link CallListener}, every call start and every draw on the retry budget
 * (a retry or a hedge) with the switchboard clock's time, in the order they happen, and checks
 * them against the budget's numeric bound: at every draw, the draws in the sliding window (the
 * ten buckets of {@code window / 10} ending at that moment) are at most
 * {@code ratio × calls in the window + minPerSecond × window seconds}; over a whole run, draws
 * are at most {@code 2 × ratio × calls + minPerSecond × window seconds × windows spanned}
 * (each draw's window reaches at most one aligned window back).
 */
final class BudgetLedger implements CallListener.Factory {
  private final Clock clock;
  private final RetryBudgetPolicy policy;
  private final List<long[]> events = new ArrayList<>(); // {time, 0 = call / 1 = draw}
  final AtomicLong calls = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong hedges = new AtomicLong();
  final AtomicLong failovers = new AtomicLong();
  final AtomicLong denied = new AtomicLong();

  BudgetLedger(Clock clock, RetryBudgetPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  private synchronized void add(int type) {
    events.add(new long[] {clock.millis(), type});
  }

  @Override
  public CallListener create(CallListener.CallInfo call) {
    return new CallListener() {
      @Override
      public void callStart(CallInfo info) {
        calls.incrementAndGet();
        add(0);
      }

      @Override
      public void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {
        retries.incrementAndGet();
        add(1);
      }

      @Override
      public void hedgeStarted(TargetRef primary, TargetRef hedge) {
        hedges.incrementAndGet();
        add(1);
      }

      @Override
      public void failover(TargetRef from, TargetRef to, ErrorKind cause) {
        failovers.incrementAndGet();
      }

      @Override
      public void retryBudgetExhausted(TargetRef target) {
        denied.incrementAndGet();
      }
    };
  }

  long draws() {
    return retries.get() + hedges.get();
  }

  double floor() {
    return policy.minPerSecond() * policy.window().toMillis() / 1000.0;
  }

  /** The highest share of the budget any draw found used (1.0 = exactly at the bound). */
  synchronized double assertEveryDrawWithinTheSlidingWindowBound() {
    long bucket = Math.max(1, policy.window().toMillis() / 10);
    java.util.ArrayDeque<long[]> window = new java.util.ArrayDeque<>();
    long c = 0;
    long r = 0;
    double worst = 0;
    for (long[] e : events) {
      long id = Math.floorDiv(e[0], bucket);
      while (!window.isEmpty() && Math.floorDiv(window.peekFirst()[0], bucket) <= id - 10) {
        if (window.pollFirst()[1] == 0) c--;
        else r--;
      }
      window.addLast(e);
      if (e[1] == 0) {
        c++;
        continue;
      }
      r++;
      double bound = policy.ratio() * c + floor();
      assertThat((double) r).as("draws in the window ending at %d ms (%d calls)", e[0], c).isLessThanOrEqualTo(bound + 1e-9);
      worst = Math.max(worst, r / bound);
    }
    return worst;
  }

  /** The whole-run bound; returns it. */
  synchronized double assertTotalWithinTheRunBound() {
    if (events.isEmpty()) return 0;
    long first = events.get(0)[0];
    long last = events.get(events.size() - 1)[0];
    long windows = (last - first) / policy.window().toMillis() + 2;
    double bound = 2 * policy.ratio() * calls.get() + floor() * windows;
    assertThat((double) draws()).as("retries + hedges over the run").isLessThanOrEqualTo(bound);
    return bound;
  }
}
