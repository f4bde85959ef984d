package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.routing.Candidate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A call walking its routing plan: the strategy's order, each target considered once, skipped
 * up front when it cannot serve (capability, context window, cooldown, quota, open circuit, full
 * bulkhead) with a trace entry and a warning, the all-circuits-open fallback, and the permits
 * and health bookkeeping of every attempt.
 */
abstract class RoutedRun extends CallRun {
  private List<Candidate> plan;
  private boolean[] tried;
  private List<AliasTarget> openCircuits;
  private Skip strongestSkip;

  RoutedRun(CallEngine engine, AliasRoute route, RequestFacts facts, String operation, Optional<Duration> requestTimeout) {
    super(engine, route, facts, operation, requestTimeout);
  }

  /** Starts the provider call of an admitted trial. */
  abstract void send(Trial trial);

  /** A trial gave up waiting for a bulkhead slot before it was sent. */
  abstract void dropped(Trial trial);

  /** A trial object for {@code target} (subclasses add their per-attempt state). */
  abstract Trial newTrial(AliasTarget target);

  final void plan() {
    plan = engine.order(route, facts);
    tried = new boolean[route.targets.size()];
  }

  /**
   * The next target in plan order that can serve the request now, admitted (holding its
   * permits); null when none is left. Targets rejected by {@code accept} are skipped with
   * {@code rejected} as the reason. Each target is considered once per call.
   */
  final Trial next(Predicate<AliasTarget> accept, String rejected) {
    for (Candidate c : plan) {
      if (!(c instanceof AliasTarget t) || route.targets.get(t.index) != t || tried[t.index]) continue;
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
  final boolean untriedLeft() {
    for (Candidate c : plan) {
      if (c instanceof AliasTarget t && route.targets.get(t.index) == t && !tried[t.index]
          && t.health.circuit.state() != dev.switchboard.resilience.CircuitState.OPEN && check(t) == null) {
        return true;
      }
    }
    return false;
  }

  /** Gives a target back to the plan (a hedge that the budget refused after admission). */
  final void untry(Trial trial) {
    release(trial);
    tried[trial.t.index] = false;
  }

  /** Checks everything that could stop {@code t} from serving now and acquires its permits. */
  final Trial admit(AliasTarget t) {
    Skip s = check(t);
    if (s != null) {
      skip(t, s);
      return null;
    }
    String why = t.health.circuit.tryAcquire(listener, t.ref);
    if (why != null) {
      if (openCircuits == null) openCircuits = new ArrayList<>(2);
      openCircuits.add(t);
      skip(t, new Skip(ErrorKind.UNAVAILABLE, SkipReason.CIRCUIT_OPEN, why));
      return null;
    }
    Trial trial = newTrial(t);
    trial.holdsCircuit = true;
    BulkheadGate b = t.health.bulkhead;
    if (b != null) {
      if (b.tryAcquire()) {
        trial.holdsSlot = true;
      } else if (b.policy.whenFull() == dev.switchboard.resilience.BulkheadPolicy.WhenFull.WAIT) {
        trial.state = Trial.State.WAITING_FOR_SLOT;
      } else {
        release(trial);
        skip(t, new Skip(ErrorKind.UNAVAILABLE, SkipReason.BULKHEAD_FULL, "at its limit of " + b.maxConcurrentCalls() + " concurrent calls"));
        return null;
      }
    }
    listener.targetChosen(t.ref);
    return trial;
  }

  private Skip check(AliasTarget t) {
    String mismatch = facts.mismatch(t.provider.capabilities());
    if (mismatch != null) return new Skip(ErrorKind.INVALID_REQUEST, SkipReason.CAPABILITY, mismatch);
    if (t.target.contextWindow().isPresent() && facts.requiredContext() > t.target.contextWindow().getAsInt()) {
      return new Skip(ErrorKind.CONTEXT_LENGTH_EXCEEDED, SkipReason.CONTEXT_WINDOW, "context window of " + t.target.contextWindow().getAsInt()
          + " tokens is smaller than the request (~" + facts.requiredContext() + " tokens estimated)");
    }
    long now = now();
    long cooling = t.health.coolingRemaining(now);
    if (cooling > 0) return new Skip(ErrorKind.RATE_LIMITED, SkipReason.COOLING_DOWN, "cooling down after 429 for another " + cooling + " ms");
    String quota = t.health.quota.exhausted(now, facts.estimatedInput());
    return quota == null ? null : new Skip(ErrorKind.QUOTA_EXCEEDED, SkipReason.QUOTA_EXHAUSTED, quota);
  }

  final void skip(AliasTarget t, Skip s) {
    trace.add(Attempt.skipped(t.ref, engine.clock.instant(), s.reason()));
    warn("skipped target " + t.ref + ": " + s.reason());
    listener.targetSkipped(t.ref, s.category(), s.reason());
    if (strongestSkip == null || s.rank() > strongestSkip.rank()) strongestSkip = s;
  }

  /**
   * When nothing was tried and some target was passed over only for its open circuit: that
   * target which failed least recently, called despite its circuit rather than failing without
   * a call.
   */
  final Trial bypassOpenCircuits() {
    if (attempts > 0 || openCircuits == null) return null;
    AliasTarget best = null;
    for (AliasTarget t : openCircuits) {
      if (best == null || t.health.lastFailure() < best.health.lastFailure()) best = t;
    }
    openCircuits = null;
    Trial trial = newTrial(best);
    trial.role = Trial.Role.BYPASS;
    BulkheadGate b = best.health.bulkhead;
    if (b != null) {
      if (!b.tryAcquire()) return null;
      trial.holdsSlot = true;
    }
    warn("every eligible target's circuit is open; trying " + best.ref + ", the least recently failed");
    listener.targetChosen(best.ref);
    return trial;
  }

  /** Sends {@code trial} now, or when its target's bulkhead frees a slot (within the wait limit). */
  final void dispatch(Trial trial) {
    if (trial.state != Trial.State.WAITING_FOR_SLOT) {
      send(trial);
      return;
    }
    BulkheadGate b = trial.t.health.bulkhead;
    long wait = Math.min(b.policy.maxWait().toMillis(), remaining());
    trial.waiter = b.await(() -> handOff(() -> bulkheadGranted(trial))); // not on the thread of the call that freed the slot
    if (trial.state == Trial.State.WAITING_FOR_SLOT) trial.timer = schedule(wait, () -> bulkheadWaitExpired(trial, wait));
  }

  private void bulkheadGranted(Trial trial) {
    trial.holdsSlot = true;
    trial.cancelTimer();
    if (trial.state == Trial.State.WAITING_FOR_SLOT) trial.state = Trial.State.ADMITTED;
    if (trial.over() || finished()) {
      release(trial);
      return;
    }
    send(trial);
  }

  private void bulkheadWaitExpired(Trial trial, long waited) {
    if (trial.state != Trial.State.WAITING_FOR_SLOT || !trial.waiter.cancel()) return;
    trial.state = Trial.State.OVER;
    release(trial);
    skip(trial.t, new Skip(ErrorKind.UNAVAILABLE, SkipReason.BULKHEAD_FULL, "at its limit of " + trial.t.health.bulkhead.maxConcurrentCalls()
        + " concurrent calls for " + waited + " ms"));
    dropped(trial);
  }

  /** Frees a trial's permits without recording an outcome (never sent, or cancelled). */
  final void release(Trial trial) {
    if (trial.state == Trial.State.WAITING_FOR_SLOT) {
      // If the slot was already handed over, bulkheadGranted() runs later and frees it.
      if (trial.waiter != null) trial.waiter.cancel();
      trial.state = Trial.State.ADMITTED;
    }
    if (trial.holdsSlot) {
      trial.holdsSlot = false;
      trial.t.health.bulkhead.release();
    }
    if (trial.holdsCircuit) {
      trial.holdsCircuit = false;
      trial.t.health.circuit.release();
    }
  }

  /**
   * Records how a sent trial ended in its target's health and frees its permits. {@code error}
   * null means success; CANCELLED records nothing.
   */
  final void settle(Trial trial, SwitchboardException error, long tookMillis) {
    TargetHealth h = trial.t.health;
    trial.t.health.inFlight.decrementAndGet();
    ErrorKind kind = error == null ? null : error.kind();
    if (kind == ErrorKind.CANCELLED) {
      release(trial);
      return;
    }
    if (trial.holdsSlot) {
      trial.holdsSlot = false;
      h.bulkhead.release();
    }
    if (trial.holdsCircuit) {
      trial.holdsCircuit = false;
      h.circuit.record(kind, error, tookMillis, listener, trial.t.ref);
    } else if (trial.role == Trial.Role.BYPASS && kind == null) {
      h.circuit.bypassSucceeded(listener, trial.t.ref);
    }
    if (error == null) return;
    long now = now();
    h.errorSeen(kind, now);
    if (CircuitBreakerPolicy.counts(kind)) h.failedAt(now);
    if (kind == ErrorKind.RATE_LIMITED) {
      h.coolDownUntil(now + engine.cooldown.clamp(error.retryAfter().orElse(null)).toMillis());
    } else if (kind == ErrorKind.QUOTA_EXCEEDED) {
      h.quota.onQuotaExceeded(now + engine.cooldown.clamp(error.retryAfter().orElse(engine.cooldown.quotaExhausted())).toMillis());
    }
    error.rateLimit().ifPresent(rl -> h.quota.onRateLimit(now, rl, error.retryAfter()));
  }

  /** The error of a call that ends without success: from its last failure, or from why every target was skipped. */
  final SwitchboardException failure() {
    SwitchboardException last = lastError;
    List<Attempt> attemptsSoFar = List.copyOf(trace);
    if (last == null) {
      Skip s = strongestSkip;
      ErrorKind kind = s == null ? ErrorKind.UNAVAILABLE : s.kind();
      String msg = "no target of model alias '" + route.name + "' can serve the request"
          + (s == null ? "" : " (" + s.reason() + ")");
      return SwitchboardException.builder(kind, msg).attempts(attemptsSoFar).build();
    }
    long tried = attemptsSoFar.stream().filter(a -> a.outcome() != Attempt.Outcome.SKIPPED).count();
    String msg = tried > 1 || attemptsSoFar.size() > 1
        ? "all targets of model alias '" + route.name + "' failed; last: " + last.detail()
        : last.detail();
    return SwitchboardException.builder(last).message(msg).attempts(attemptsSoFar).cause(last).build();
  }
}
