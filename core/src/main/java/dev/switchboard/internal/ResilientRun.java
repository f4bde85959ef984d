package dev.switchboard.internal;

import dev.switchboard.ErrorKind;
import dev.switchboard.Scheduler;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.HedgingPolicy;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience decisions of a call: after a failure, retry on the same target (after backoff
 * or Retry-After, drawing on the retry budget), fail over along the plan, or give up; and
 * hedging — a second attempt on the next target when the first is slow.
 */
abstract class ResilientRun extends RoutedRun {
  private static final Logger log = LoggerFactory.getLogger(ResilientRun.class);

  int failovers;
  boolean budgetDenied;
  int hedges;
  private final RetryDecider decider;
  private final RetryDecider.Budget budget;
  private Scheduler.Cancellable waitTimer;
  private Scheduler.Cancellable hedgeTimer;

  ResilientRun(CallEngine engine, AliasRoute route, RequestFacts facts, String operation, Optional<Duration> requestTimeout) {
    super(engine, route, facts, operation, requestTimeout);
    this.decider = new RetryDecider(policy.retry(), policy.failover(), facts.requiredContext(), engine.random());
    this.budget = new RetryDecider.Budget() {
      @Override
      public boolean tryWithdraw() {
        return engine.budget.tryWithdraw(now());
      }

      @Override
      public boolean exhausted() {
        return engine.budget.exhausted(now());
      }
    };
  }

  /** Registers {@code trial} as running and sends it (once its bulkhead admits it). */
  abstract void begin(Trial trial);

  /**
   * Moves on to the next eligible target: the first one when {@code from} is null, else a
   * failover from {@code from} (which failed with {@code cause}) to a target {@code how} accepts.
   */
  abstract void launch(AliasTarget from, SwitchboardException cause, RetryDecider.Failover how);

  /** Whether a hedge can still help: attempts run and none has won yet. */
  abstract boolean hedgeable();

  /** Fails over from {@code from} after {@code cause}, outside a decision (a retry that found its target closed). */
  final void failOver(AliasTarget from, SwitchboardException cause) {
    launch(from, cause, failoverFrom(from, cause));
  }

  /** Which targets may take over from {@code from} after {@code cause}. */
  final RetryDecider.Failover failoverFrom(AliasTarget from, SwitchboardException cause) {
    return decider.failoverFrom(from, cause.kind(), false);
  }

  /** Whether this call may still fail over (see {@link RetryDecider#mayFailOver}). */
  final boolean mayFailOver() {
    return RetryDecider.mayFailOver(failovers, budgetDenied, budget);
  }

  final void announceFailover(AliasTarget from, AliasTarget to, ErrorKind cause) {
    failovers++;
    listener.failover(from.ref, to.ref, cause);
    log.warn("model alias '{}' failing over from {} to {} after {}", route.name, from.ref, to.ref, cause);
  }

  /** Asks the decider what follows {@code trial}'s failure {@code e} and acts on it; {@code fail} gives up. */
  final void afterFailure(Trial trial, SwitchboardException e, Runnable fail) {
    cancelHedgeTimer();
    boolean anotherLeft = e.kind() == ErrorKind.RATE_LIMITED && untriedLeft(); // only a 429 asks
    var failure = new RetryDecider.Failure(e, trial.t, trial.retries, trial.t.health.coolingRemaining(now()), failovers, budgetDenied,
        anotherLeft);
    RetryDecider.Decision d = decider.decide(failure, remaining(), budget);
    if (d instanceof RetryDecider.Retry r) {
      listener.retryScheduled(trial.t.ref, Duration.ofMillis(r.delayMillis()), e.kind());
      AliasTarget t = trial.t;
      int retries = trial.retries + 1;
      waitTimer = schedule(r.delayMillis(), () -> retry(t, retries, e));
    } else if (d instanceof RetryDecider.Failover f) {
      if (f.budgetDenied()) budgetRefusedRetry(trial.t, e.kind());
      launch(trial.t, e, f);
    } else if (d instanceof RetryDecider.Fail f) {
      if (f.budgetDenied()) budgetRefusedRetry(trial.t, e.kind());
      fail.run();
    }
  }

  private void budgetRefusedRetry(AliasTarget t, ErrorKind kind) {
    budgetDenied = true;
    log.warn("retry budget exhausted: not retrying {} after {} (model alias '{}')", t.ref, kind, route.name);
    listener.retryBudgetExhausted(t.ref);
  }

  private void retry(AliasTarget t, int retries, SwitchboardException cause) {
    waitTimer = null;
    if (finished()) return;
    Trial again = admit(t);
    if (again == null) {
      failOver(t, cause);
      return;
    }
    again.retries = retries;
    begin(again);
  }

  /** Arms the hedge timer for a primary attempt: a fixed delay, or the target's recent p95 of {@code stats}. */
  final void armHedge(Trial primary, LatencyStats stats) {
    HedgingPolicy hedging = policy.hedging();
    if (!hedging.enabled() || hedges >= hedging.maxHedges() || hedgeTimer != null) return;
    long p95 = stats.p95();
    long delay = hedging.mode() == HedgingPolicy.Mode.P95 && p95 >= 0 ? p95 : hedging.delay().toMillis();
    if (delay >= remaining()) return;
    hedgeTimer = schedule(delay, () -> hedge(primary, stats));
  }

  private void hedge(Trial primary, LatencyStats stats) {
    hedgeTimer = null;
    if (finished() || !hedgeable()) return;
    Trial h = next(null, null);
    if (h == null) return;
    if (!engine.budget.tryWithdraw(now())) {
      untry(h);
      budgetDenied = true;
      log.warn("retry budget exhausted: not hedging {} (model alias '{}')", primary.t.ref, route.name);
      listener.retryBudgetExhausted(primary.t.ref);
      return;
    }
    hedges++;
    h.role = Trial.Role.HEDGE;
    listener.hedgeStarted(primary.t.ref, h.t.ref);
    begin(h);
    if (hedges < policy.hedging().maxHedges()) armHedge(primary, stats);
  }

  final void cancelHedgeTimer() {
    if (hedgeTimer != null) {
      hedgeTimer.cancel();
      hedgeTimer = null;
    }
  }

  /** Cancels the hedge and retry timers (the call is over). */
  final void cancelResilienceTimers() {
    cancelHedgeTimer();
    if (waitTimer != null) {
      waitTimer.cancel();
      waitTimer = null;
    }
  }
}
