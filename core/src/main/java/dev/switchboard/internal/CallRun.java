package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.Scheduler;
import dev.switchboard.SkipReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.Usage;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.routing.Candidate;
import dev.switchboard.routing.RoutingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every call shares, streamed or not: its deadline, its routing plan and the walk along it
 * (admission, skips, the all-circuits-open fallback), the retry/failover decision, health
 * bookkeeping, the attempt trace and the listener.
 *
 * <p>A call's state changes only inside its serial executor ({@link #post}): provider callbacks,
 * timers and cancellation each post a task, and tasks run one at a time in order, on whichever
 * thread posted when the call was idle. So the state needs no lock, a provider answering inline
 * cannot re-enter a half-done step, and no lock is ever held while calling out.
 */
abstract class CallRun {
  private static final Logger log = LoggerFactory.getLogger(CallRun.class);

  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();

  final CallEngine engine;
  final AliasRoute route;
  final RoutingPolicy policy;
  final RequestFacts facts;
  final CallListener.CallInfo info;
  final CallListener listener;
  final long startMillis;
  final long timeoutMillis;
  final long deadline;
  final List<Attempt> trace = new ArrayList<>(4);
  List<String> warnings;

  private List<Candidate> plan;
  private boolean[] tried;
  private List<AliasTarget> openCircuits;
  private Skip strongestSkip;
  int attempts;
  int failovers;
  boolean budgetDenied;
  SwitchboardException lastError;
  long retryDelayMillis;
  Scheduler.Cancellable deadlineTimer;

  CallRun(CallEngine engine, AliasRoute route, RequestFacts facts, String operation, Optional<Duration> requestTimeout) {
    this.engine = engine;
    this.route = route;
    this.policy = route.policy;
    this.facts = facts;
    Instant start = engine.clock.instant();
    this.startMillis = start.toEpochMilli();
    Duration timeout = requestTimeout.isPresent() ? requestTimeout.get()
        : policy.timeouts().call().orElse(engine.defaultTimeout);
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.deadline = startMillis + timeoutMillis;
    this.info = new CallListener.CallInfo(operation, route.name, facts.streaming(), start);
    this.listener = SafeListener.create(engine.listenerFactory, info);
  }

  // ---- serial execution -----------------------------------------------------------------

  /** Runs {@code task} after the tasks posted before it, never concurrently with another task of this call. */
  final void post(Runnable task) {
    mailbox.add(task);
    if (wip.getAndIncrement() != 0) return;
    do {
      Runnable next = mailbox.poll();
      try {
        next.run();
      } catch (Throwable e) {
        // A bug here must not leave the call hanging: end it with a typed error.
        log.error("internal error in call to model alias '{}'", route.name, e);
        try {
          abort(SwitchboardException.builder(ErrorKind.PROTOCOL, "internal error in Switchboard: " + e)
              .attempts(List.copyOf(trace)).cause(e).build());
        } catch (Throwable again) {
          log.error("could not end call to model alias '{}' after an internal error", route.name, again);
        }
      }
    } while (wip.decrementAndGet() != 0);
  }

  /** Ends the call at once with {@code error}, cancelling whatever runs. */
  abstract void abort(SwitchboardException error);

  /** Whether the call has ended. */
  abstract boolean finished();

  /** Starts the provider call of an admitted trial. */
  abstract void send(Trial trial);

  /** A trial gave up waiting for a bulkhead slot before it was sent. */
  abstract void dropped(Trial trial);

  /** A trial object for {@code target} (subclasses add their per-attempt state). */
  abstract Trial newTrial(AliasTarget target);

  final long now() {
    return engine.clock.millis();
  }

  final long remaining() {
    return deadline - now();
  }

  /** Runs {@code task} in this call's executor after {@code millis} on the switchboard's scheduler. */
  final Scheduler.Cancellable schedule(long millis, Runnable task) {
    return engine.timers.schedule(millis, () -> post(task));
  }

  final void warn(String warning) {
    if (warnings == null) warnings = new ArrayList<>(2);
    warnings.add(warning);
  }

  // ---- the plan ---------------------------------------------------------------------------

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
    trial.circuit = true;
    BulkheadGate b = t.health.bulkhead;
    if (b != null) {
      if (b.tryAcquire()) {
        trial.bulkhead = true;
      } else if (b.policy.whenFull() == dev.switchboard.resilience.BulkheadPolicy.WhenFull.WAIT) {
        trial.waitForBulkhead = true;
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
    trial.bypass = true;
    BulkheadGate b = best.health.bulkhead;
    if (b != null) {
      if (!b.tryAcquire()) return null;
      trial.bulkhead = true;
    }
    warn("every eligible target's circuit is open; trying " + best.ref + ", the least recently failed");
    listener.targetChosen(best.ref);
    return trial;
  }

  /** Sends {@code trial} now, or when its target's bulkhead frees a slot (within the wait limit). */
  final void dispatch(Trial trial) {
    if (!trial.waitForBulkhead) {
      send(trial);
      return;
    }
    BulkheadGate b = trial.t.health.bulkhead;
    long wait = Math.min(b.policy.maxWait().toMillis(), remaining());
    trial.waiter = b.await(() -> post(() -> bulkheadGranted(trial)));
    if (trial.waitForBulkhead) trial.timer = schedule(wait, () -> bulkheadWaitExpired(trial, wait));
  }

  private void bulkheadGranted(Trial trial) {
    trial.waitForBulkhead = false;
    trial.bulkhead = true;
    trial.cancelTimer();
    if (trial.over || finished()) {
      release(trial);
      return;
    }
    send(trial);
  }

  private void bulkheadWaitExpired(Trial trial, long waited) {
    if (trial.over || !trial.waitForBulkhead || !trial.waiter.cancel()) return;
    trial.over = true;
    trial.waitForBulkhead = false;
    release(trial);
    skip(trial.t, new Skip(ErrorKind.UNAVAILABLE, SkipReason.BULKHEAD_FULL, "at its limit of " + trial.t.health.bulkhead.maxConcurrentCalls()
        + " concurrent calls for " + waited + " ms"));
    dropped(trial);
  }

  // ---- outcomes -----------------------------------------------------------------------------

  /** Frees a trial's permits without recording an outcome (never sent, or cancelled). */
  final void release(Trial trial) {
    if (trial.waitForBulkhead && trial.waiter != null) {
      // If the slot was already handed over, bulkheadGranted() runs later and frees it.
      trial.waiter.cancel();
      trial.waitForBulkhead = false;
    }
    if (trial.bulkhead) {
      trial.bulkhead = false;
      trial.t.health.bulkhead.release();
    }
    if (trial.circuit) {
      trial.circuit = false;
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
    if (trial.bulkhead) {
      trial.bulkhead = false;
      h.bulkhead.release();
    }
    if (trial.circuit) {
      trial.circuit = false;
      h.circuit.record(kind, error, tookMillis, listener, trial.t.ref);
    } else if (trial.bypass && kind == null) {
      h.circuit.bypassSucceeded(listener, trial.t.ref);
    }
    if (error == null) return;
    long now = now();
    if (CircuitBreakerPolicy.counts(kind)) h.failedAt(now);
    if (kind == ErrorKind.RATE_LIMITED) {
      h.coolDownUntil(now + engine.cooldown.clamp(error.retryAfter().orElse(null)).toMillis());
    } else if (kind == ErrorKind.QUOTA_EXCEEDED) {
      h.quota.onQuotaExceeded(now + engine.cooldown.clamp(error.retryAfter().orElse(engine.cooldown.quotaExhausted())).toMillis());
    }
    error.rateLimit().ifPresent(rl -> h.quota.onRateLimit(now, rl, error.retryAfter()));
  }

  /** Counts a trial as started: attempt number, time, in-flight and quota bookkeeping. */
  final void started(Trial trial) {
    trial.sent = true;
    trial.number = ++attempts;
    trial.start = engine.clock.instant();
    trial.startMillis = trial.start.toEpochMilli();
    trial.t.health.inFlight.incrementAndGet();
    trial.t.health.quota.onSend(trial.startMillis, facts.estimatedInput());
    listener.attemptStart(trial.t.ref, trial.number, trial.hedge);
  }

  final void traceFailed(Trial trial, SwitchboardException e, long tookMillis) {
    Attempt a = Attempt.failed(trial.t.ref, trial.start, Duration.ofMillis(tookMillis), e, trial.hedge);
    trace.add(a);
    listener.attemptEnd(a);
    if (log.isDebugEnabled()) {
      log.debug("attempt {} on {} failed after {} ms: {} (HTTP {}, request-id {})", trial.number, trial.t.ref, tookMillis,
          e.kind(), e.httpStatus().isPresent() ? e.httpStatus().getAsInt() : "-", e.requestId().orElse("-"));
    }
  }

  final void traceCancelled(Trial trial, String why) {
    Attempt a = Attempt.cancelled(trial.t.ref, trial.start, Duration.ofMillis(now() - trial.startMillis), trial.hedge, why);
    trace.add(a);
    listener.attemptEnd(a);
  }

  final void traceSucceeded(Trial trial, long tookMillis) {
    Attempt a = Attempt.succeeded(trial.t.ref, trial.start, Duration.ofMillis(tookMillis), trial.hedge);
    trace.add(a);
    listener.attemptEnd(a);
    if (log.isDebugEnabled()) {
      log.debug("attempt {} on {} succeeded after {} ms{}", trial.number, trial.t.ref, tookMillis, trial.hedge ? " (hedge)" : "");
    }
  }

  // ---- decisions -------------------------------------------------------------------------------

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
        wait = retry.jitteredBackoffNanos(trial.retries, remaining * 1_000_000L, engine.random()) / 1_000_000L;
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

  // ---- endings --------------------------------------------------------------------------------

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
    return SwitchboardException.builder(last.kind(), msg)
        .provider(last.provider().orElse(null)).target(last.target().orElse(null))
        .httpStatus(last.httpStatus().orElse(0)).providerCode(last.providerCode().orElse(null))
        .requestId(last.requestId().orElse(null)).retryAfter(last.retryAfter().orElse(null))
        .rateLimit(last.rateLimit().orElse(null)).attempts(attemptsSoFar).cause(last).build();
  }

  final SwitchboardException deadlineError() {
    return SwitchboardException.builder(ErrorKind.TIMEOUT,
            "call to model alias '" + route.name + "' passed its deadline of " + timeoutMillis + " ms")
        .attempts(List.copyOf(trace)).cause(lastError).build();
  }

  final SwitchboardException attemptTimeout(Trial trial, long millis, String what) {
    return SwitchboardException.builder(ErrorKind.TIMEOUT, what + " after " + millis + " ms")
        .provider(trial.t.ref.provider()).target(trial.t.ref.deployment()).build();
  }

  /** Tells the listener the call is over. */
  final void ended(AliasTarget servedBy, Usage usage, String model, SwitchboardException error) {
    Scheduler.Cancellable d = deadlineTimer;
    if (d != null) d.cancel();
    if (listener == CallListener.NONE) return;
    Optional<Double> cost = servedBy == null || usage == null ? Optional.empty()
        : servedBy.target.price().map(p -> p.cost(usage));
    listener.callEnd(new CallListener.CallEnd(Optional.ofNullable(servedBy).map(t -> t.ref),
        Duration.ofMillis(now() - startMillis), trace, Optional.ofNullable(usage), Optional.ofNullable(model), cost,
        Optional.ofNullable(error)));
  }

  static SwitchboardException unwrap(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof SwitchboardException e) return e;
    if (cause instanceof java.util.concurrent.CancellationException) {
      return SwitchboardException.of(ErrorKind.CANCELLED, "attempt cancelled");
    }
    // A provider broke its contract; still give the caller a typed error.
    return SwitchboardException.builder(ErrorKind.PROTOCOL, "provider failed with " + cause.getClass().getName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())).cause(cause).build();
  }
}
