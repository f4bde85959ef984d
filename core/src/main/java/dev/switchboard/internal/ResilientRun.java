package dev.switchboard.internal;

import dev.switchboard.ErrorKind;
import dev.switchboard.Scheduler;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.HedgingPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
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
  long retryDelayMillis;
  int hedges;
  private Scheduler.Cancellable waitTimer;
  private Scheduler.Cancellable hedgeTimer;

  ResilientRun(CallEngine engine, AliasRoute route, RequestFacts facts, String operation, Optional<Duration> requestTimeout) {
    super(engine, route, facts, operation, requestTimeout);
  }

  /** Registers {@code trial} as running and sends it (once its bulkhead admits it). */
  abstract void begin(Trial trial);

  /** Moves on to the next eligible target after {@code from} failed with {@code cause}. */
  abstract void launch(AliasTarget from, SwitchboardException cause);

  /** Whether a hedge can still help: attempts run and none has won yet. */
  abstract boolean hedgeable();

  enum Action { RETRY, FAILOVER, FAIL }

  /**
   * What to do after {@code trial} failed with {@code e} and nothing else runs: repeat it on the
   * same target (after {@link #retryDelayMillis}), fail over, or give up. See {@code RetryPolicy}
   * and {@code FailoverPolicy} for the rules.
   */
  final Action decide(Trial trial, SwitchboardException e) {
    ErrorKind kind = e.kind();
    long remaining = remaining();
    if (kind == ErrorKind.CANCELLED || remaining <= 0) return Action.FAIL;
    var retry = policy.retry();
    if (retry.retries(kind) && trial.retries < retry.maxRetries()) {
      long wait = -1;
      long limit = retry.maxRetryAfter().toMillis();
      if (e.retryAfter().isPresent()) {
        wait = e.retryAfter().get().toMillis();
        if (kind == ErrorKind.RATE_LIMITED) wait = Math.max(wait, trial.t.health.coolingRemaining(now()));
        if (wait > limit) wait = -1; // too long to wait here: fail over at once
      } else if (kind != ErrorKind.RATE_LIMITED) {
        // RATE_LIMITED without Retry-After is not retried: the target now cools down.
        wait = retry.jitteredBackoffNanos(trial.retries, Math.min(remaining, Long.MAX_VALUE / 1_000_000L) * 1_000_000L, engine.random()) / 1_000_000L;
      }
      if (wait >= 0 && wait < remaining) {
        if (engine.budget.tryWithdraw(now())) {
          retryDelayMillis = wait;
          return Action.RETRY;
        }
        budgetDenied = true;
        log.warn("retry budget exhausted: not retrying {} after {} (model alias '{}')", trial.t.ref, kind, route.name);
        listener.retryBudgetExhausted(trial.t.ref);
      }
    }
    return policy.failover().failsOver(kind) && mayFailOver() ? Action.FAILOVER : Action.FAIL;
  }

  /** Once the retry budget is spent, a call fails over at most once. */
  final boolean mayFailOver() {
    return failovers < 1 || !(budgetDenied || engine.budget.exhausted(now()));
  }

  /** Which targets a call may fail over to after {@code failed} failed with {@code kind}. */
  final Predicate<AliasTarget> failoverFilter(AliasTarget failed, ErrorKind kind) {
    if (kind != ErrorKind.CONTEXT_LENGTH_EXCEEDED) return null;
    long needed = Math.max(facts.requiredContext(), failed.target.contextWindow().orElse(0));
    return t -> t.target.contextWindow().isPresent() && t.target.contextWindow().getAsInt() > needed;
  }

  final String failoverRejection(AliasTarget failed) {
    return "context window not known to be larger than " + failed.ref + "'s";
  }

  final void announceFailover(AliasTarget from, AliasTarget to, ErrorKind cause) {
    failovers++;
    listener.failover(from.ref, to.ref, cause);
    log.warn("model alias '{}' failing over from {} to {} after {}", route.name, from.ref, to.ref, cause);
  }

  /** Acts on {@link #decide}'s verdict for {@code trial}'s failure {@code e}; {@code fail} gives up. */
  final void afterFailure(Trial trial, SwitchboardException e, Runnable fail) {
    cancelHedgeTimer();
    switch (decide(trial, e)) {
      case RETRY -> {
        listener.retryScheduled(trial.t.ref, Duration.ofMillis(retryDelayMillis), e.kind());
        AliasTarget t = trial.t;
        int retries = trial.retries + 1;
        waitTimer = schedule(retryDelayMillis, () -> retry(t, retries, e));
      }
      case FAILOVER -> launch(trial.t, e);
      case FAIL -> fail.run();
    }
  }

  private void retry(AliasTarget t, int retries, SwitchboardException cause) {
    waitTimer = null;
    if (finished()) return;
    Trial again = admit(t);
    if (again == null) {
      launch(t, cause);
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
    h.hedge = true;
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
