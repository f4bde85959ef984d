package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitState;
import dev.switchboard.routing.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The route plan of one call: its targets in the strategy's order, each considered once, and for
 * each the admission — capability, context window, cooldown, quota ({@link #check}), then the
 * circuit, then the bulkhead — or a skip with its sealed {@link SkipReason} (a trace entry, a
 * warning, the listener told). Also the all-circuits-open fallback, and which skip explains the
 * failure of a call whose every target was skipped. Touched only by its call's serial executor.
 */
final class RoutePlan {
  private final CallDriver call;
  private final List<Candidate> order;
  private final boolean[] tried;
  private List<AliasTarget> openCircuits;
  private Skip strongestSkip;

  RoutePlan(CallDriver call) {
    this.call = call;
    this.order = call.engine.order(call.route, call.facts);
    this.tried = new boolean[call.route.targets.size()];
  }

  /**
   * The next target in plan order that can serve the request now, admitted (holding its
   * permits); null when none is left. Targets rejected by {@code accept} are skipped with
   * {@code rejected} as the reason. Each target is considered once per call.
   */
  Trial next(Predicate<AliasTarget> accept, String rejected) {
    for (Candidate c : order) {
      if (!(c instanceof AliasTarget t) || call.route.targets.get(t.index) != t || tried[t.index]) continue;
      tried[t.index] = true;
      if (accept != null && !accept.test(t)) {
        skip(t, new Skip(ErrorKind.CONTEXT_LENGTH_EXCEEDED, SkipReason.CONTEXT_WINDOW, rejected));
        continue;
      }
      Trial trial = admit(t);
      if (trial != null) return trial;
    }
    return null;
  }

  /**
   * Whether some target this call has not tried yet could serve it now (not skipped up front,
   * circuit not open): only then is a silent attempt worth cutting short to fail over.
   */
  boolean untriedLeft() {
    for (Candidate c : order) {
      if (c instanceof AliasTarget t && call.route.targets.get(t.index) == t && !tried[t.index]
          && t.health.circuit.state() != CircuitState.OPEN && check(t) == null) {
        return true;
      }
    }
    return false;
  }

  /** Gives a target back to the plan (a hedge that the budget refused after admission). */
  void untry(Trial trial) {
    call.release(trial);
    tried[trial.t.index] = false;
  }

  /** Admits {@code t}: the checks, then its circuit, then its bulkhead; null (and a skip) when one refuses. */
  Trial admit(AliasTarget t) {
    Skip s = check(t);
    if (s != null) {
      skip(t, s);
      return null;
    }
    String why = t.health.circuit.tryAcquire(call.listener, t.ref);
    if (why != null) {
      if (openCircuits == null) openCircuits = new ArrayList<>(2);
      openCircuits.add(t);
      skip(t, new Skip(ErrorKind.UNAVAILABLE, SkipReason.CIRCUIT_OPEN, why));
      return null;
    }
    Trial trial = call.newTrial(t);
    trial.holdsCircuit = true;
    BulkheadGate b = t.health.bulkhead;
    if (b != null) {
      if (b.tryAcquire()) {
        trial.holdsSlot = true;
      } else if (b.policy.whenFull() == BulkheadPolicy.WhenFull.WAIT) {
        trial.state = Trial.State.WAITING_FOR_SLOT;
      } else {
        call.release(trial);
        skip(t, new Skip(ErrorKind.UNAVAILABLE, SkipReason.BULKHEAD_FULL, "at its limit of " + b.maxConcurrentCalls() + " concurrent calls"));
        return null;
      }
    }
    call.listener.targetChosen(t.ref);
    return trial;
  }

  private Skip check(AliasTarget t) {
    RequestFacts facts = call.facts;
    String mismatch = facts.mismatch(t.provider.capabilities());
    if (mismatch != null) return new Skip(ErrorKind.INVALID_REQUEST, SkipReason.CAPABILITY, mismatch);
    if (t.target.contextWindow().isPresent() && facts.requiredContext() > t.target.contextWindow().getAsInt()) {
      return new Skip(ErrorKind.CONTEXT_LENGTH_EXCEEDED, SkipReason.CONTEXT_WINDOW, "context window of " + t.target.contextWindow().getAsInt()
          + " tokens is smaller than the request (~" + facts.requiredContext() + " tokens estimated)");
    }
    long now = call.now();
    long cooling = t.health.coolingRemaining(now);
    if (cooling > 0) return new Skip(ErrorKind.RATE_LIMITED, SkipReason.COOLING_DOWN, "cooling down after 429 for another " + cooling + " ms");
    String quota = t.health.quota.exhausted(now, facts.estimatedInput());
    return quota == null ? null : new Skip(ErrorKind.QUOTA_EXCEEDED, SkipReason.QUOTA_EXHAUSTED, quota);
  }

  /** Passes {@code t} over for {@code s}: a trace entry, a warning, the listener told. */
  void skip(AliasTarget t, Skip s) {
    call.trace.add(Attempt.skipped(t.ref, call.engine.clock.instant(), s.reason()));
    call.warn("skipped target " + t.ref + ": " + s.reason());
    call.listener.targetSkipped(t.ref, s.category(), s.reason());
    if (strongestSkip == null || s.rank() > strongestSkip.rank()) strongestSkip = s;
  }

  /** The skip that best explains why no target served (null when none was skipped). */
  Skip strongestSkip() {
    return strongestSkip;
  }

  /**
   * When nothing was tried and some target was passed over only for its open circuit: that
   * target which failed least recently, called despite its circuit rather than failing without
   * a call.
   */
  Trial bypassOpenCircuits() {
    if (call.attempts > 0 || openCircuits == null) return null;
    AliasTarget best = null;
    for (AliasTarget t : openCircuits) {
      if (best == null || t.health.lastFailure() < best.health.lastFailure()) best = t;
    }
    openCircuits = null;
    Trial trial = call.newTrial(best);
    trial.role = Trial.Role.BYPASS;
    BulkheadGate b = best.health.bulkhead;
    if (b != null) {
      if (!b.tryAcquire()) return null;
      trial.holdsSlot = true;
    }
    call.warn("every eligible target's circuit is open; trying " + best.ref + ", the least recently failed");
    call.listener.targetChosen(best.ref);
    return trial;
  }
}
