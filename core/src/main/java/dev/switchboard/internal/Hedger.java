package dev.switchboard.internal;

import dev.switchboard.Scheduler;
import dev.switchboard.resilience.HedgingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hedging for one call: when its primary attempt is slow (a fixed delay, or the target's recent
 * p95), a second attempt on the next target of the plan, drawing on the retry budget; up to the
 * policy's number of hedges. The first answer wins; the call cancels the others. Touched only by
 * its call's serial executor.
 */
final class Hedger {
  private static final Logger log = LoggerFactory.getLogger(Hedger.class);

  private final CallDriver call;
  private final HedgingPolicy policy;
  private int hedges;
  private Scheduler.Cancellable timer;

  Hedger(CallDriver call, HedgingPolicy policy) {
    this.call = call;
    this.policy = policy;
  }

  /** How many hedges this call started. */
  int hedges() {
    return hedges;
  }

  /** Arms the hedge timer for {@code primary}: a fixed delay, or its target's recent p95 of {@code stats}. */
  void arm(Trial primary, LatencyStats stats) {
    if (!policy.enabled() || hedges >= policy.maxHedges() || timer != null) return;
    long p95 = stats.p95();
    long delay = policy.mode() == HedgingPolicy.Mode.P95 && p95 >= 0 ? p95 : policy.delay().toMillis();
    if (delay >= call.remaining()) return;
    timer = call.schedule(delay, () -> hedge(primary, stats));
  }

  private void hedge(Trial primary, LatencyStats stats) {
    timer = null;
    if (call.finished() || !call.hedgeable()) return;
    Trial h = call.plan.next(null, null);
    if (h == null) return;
    if (!call.engine.budget.tryWithdraw(call.now())) {
      call.plan.untry(h);
      call.budgetDenied = true;
      log.warn("retry budget exhausted: not hedging {} (model alias '{}')", primary.t.ref, call.route.name);
      call.listener.retryBudgetExhausted(primary.t.ref);
      return;
    }
    hedges++;
    h.role = Trial.Role.HEDGE;
    call.listener.hedgeStarted(primary.t.ref, h.t.ref);
    call.begin(h);
    if (hedges < policy.maxHedges()) arm(primary, stats);
  }

  /** Cancels the hedge timer (an attempt ended, or the call did). */
  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
