package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.Scheduler;
import dev.switchboard.SkipReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.http.CallerRuns;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.routing.RoutingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of one call, streamed or not: its serial executor (mailbox), deadline, attempt
 * trace, warnings and listener, the attempts running, the permits of each attempt and the end of
 * the call. It is composed of the call's {@link RoutePlan} (order, admission or skip), its
 * {@link Hedger}, the {@link RetryDecider} whose decision it acts on, and an
 * {@link AttemptSender} — {@link UnarySender} or {@link StreamSender} — which sends one attempt at a
 * time, reports its outcome here, and owns how its kind of call answers the caller.
 *
 * <p>The order, for every attempt, written here once: {@link #launch} takes {@code plan.next} /
 * {@code plan.admit} (checks, circuit, bulkhead, or a skip) → {@link #dispatch} (now, or when the
 * bulkhead frees a slot) → {@code sender.send}; on each outcome the sender calls {@link #settle}
 * (health), then on failure {@link #afterFailure} (retry, fail over or give up); a primary
 * attempt's send arms {@code hedger.arm}.
 *
 * <p>A call's state changes only inside its serial executor ({@link #post}): provider callbacks,
 * timers and cancellation each post a task, and tasks run one at a time in order, on whichever
 * thread posted when the call was idle. So the state needs no lock, a provider answering inline
 * cannot re-enter a half-done step, and no lock is ever held while calling out. Timers and
 * provider threads do not run the call's work themselves: {@link #schedule} hands due tasks to
 * the engine's worker, and {@link #handOff} an outcome that may start the next attempt.
 */
final class CallDriver {
  private static final Logger log = LoggerFactory.getLogger(CallDriver.class);

  private static final int NEW = 0;
  private static final int TRACKED = 1;
  private static final int ENDED = 2;

  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  /** Whether the engine tracks this call for {@link CallEngine#close()}: NEW, TRACKED or ENDED. */
  private final AtomicInteger tracking = new AtomicInteger(NEW);

  final CallEngine engine;
  final AliasRoute route;
  final RoutingPolicy policy;
  final RequestFacts facts;
  final CallListener.CallInfo info;
  final CallListener listener;
  /** The blocking caller that runs this call's first attempts on its own thread, or null. */
  final CallerRuns callerRuns;
  final long startMillis;
  final long timeoutMillis;
  final long deadline;
  final List<Attempt> trace = new ArrayList<>(4);
  /** The attempts admitted and not over yet: waiting for a slot, or sent. */
  final List<Trial> running = new ArrayList<>(2);
  List<String> warnings;
  int attempts;
  SwitchboardException lastError;
  Scheduler.Cancellable deadlineTimer;
  /** The route plan, made when the call starts. */
  RoutePlan plan;
  final Hedger hedger;
  private final RetryDecider decider;
  private final RetryDecider.Budget budget;
  int failovers;
  boolean budgetDenied;
  private Scheduler.Cancellable waitTimer;
  /** What sends this call's attempts and answers the caller: unary or stream. */
  final AttemptSender sender;

  /**
   * A driver for one call; {@code sender} makes the call's {@link AttemptSender} for it (it is
   * made last, so it may read the driver's listener and clock).
   */
  CallDriver(CallEngine engine, AliasRoute route, RequestFacts facts, String operation, Optional<Duration> requestTimeout,
      CallerRuns callerRuns, Function<CallDriver, AttemptSender> sender) {
    this.engine = engine;
    this.route = route;
    this.policy = route.policy;
    this.facts = facts;
    this.callerRuns = callerRuns;
    Instant start = engine.clock.instant();
    this.startMillis = start.toEpochMilli();
    Duration timeout = requestTimeout.isPresent() ? requestTimeout.get()
        : policy.timeouts().call().orElse(engine.defaultTimeout);
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.deadline = startMillis + timeoutMillis;
    this.info = new CallListener.CallInfo(operation, route.name, facts.streaming(), start);
    this.listener = CompositeCallListener.create(engine.listenerFactory, info);
    this.hedger = new Hedger(this, policy.hedging());
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
    this.sender = sender.apply(this);
  }

  /** Starts the call: its first step runs in its executor (here, unless the call is already busy). */
  void start() {
    post(this::firstStep);
  }

  private void firstStep() {
    listener.callStart(info);
    engine.budget.onCall(startMillis);
    deadlineTimer = schedule(timeoutMillis, sender::deadlinePassed);
    sender.callStarted();
    plan = new RoutePlan(this);
    launch(null, null, null);
  }

  /** The thread draining this call's tasks now, or null. */
  private volatile Thread runner;

  /** Runs {@code task} after the tasks posted before it, never concurrently with another task of this call. */
  void post(Runnable task) {
    mailbox.add(task);
    if (wip.getAndIncrement() != 0) return;
    drain(Thread.currentThread());
  }

  /**
   * Posts {@code task} from a thread that is not this call's: on the engine's worker, so that a
   * provider's callback thread (OkHttp's) never starts the next attempt, and a bulkhead slot
   * freed by another call never sends this one on that call's thread. Posted here directly when
   * this thread already runs the call (an answer given inline, the blocking caller's own thread
   * running its attempt) or when the engine has no worker (an injected scheduler).
   */
  void handOff(Runnable task) {
    java.util.concurrent.Executor w = engine.worker;
    if (w == null || runner == Thread.currentThread() || ownThread()) {
      post(task);
      return;
    }
    try {
      w.execute(() -> post(task));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      post(task); // the switchboard is closing; the task ends the call
    }
  }

  /** Whether the current thread is one the call runs its attempts on itself (a blocking caller's). */
  private boolean ownThread() {
    return callerRuns != null && callerRuns.onOwnerThread();
  }

  private void drain(Thread me) {
    runner = me;
    do {
      Runnable next = mailbox.poll();
      try {
        next.run();
      } catch (Throwable e) {
        // A bug here must not leave the call hanging: end it with a typed error.
        boolean closed = e instanceof java.util.concurrent.RejectedExecutionException;
        if (!closed) log.error("internal error in call to model alias '{}'", route.name, e);
        try {
          sender.abort(SwitchboardException.builder(closed ? ErrorKind.CANCELLED : ErrorKind.PROTOCOL,
                  closed ? "the Switchboard was closed during the call" : "internal error in Switchboard: " + e)
              .attempts(List.copyOf(trace)).cause(e).build());
        } catch (Throwable again) {
          log.error("could not end call to model alias '{}' after an internal error", route.name, again);
        }
      }
    } while (more(me));
  }

  /** Whether more tasks were posted meanwhile (this thread drains them); else this thread lets go of the call. */
  private boolean more(Thread me) {
    runner = null;
    if (wip.decrementAndGet() == 0) return false;
    runner = me;
    return true;
  }

  /** Marks this call as tracked by the engine; false if it has already ended. */
  boolean tracked() {
    return tracking.compareAndSet(NEW, TRACKED);
  }

  /** Ends the call with CANCELLED because the switchboard is closing (from any thread). */
  void closedBySwitchboard() {
    post(() -> {
      if (sender.finished()) return;
      sender.abort(CallEngine.closedError(route.name));
    });
  }

  long now() {
    return engine.clock.millis();
  }

  long remaining() {
    return deadline - now();
  }

  /** Runs {@code task} in this call's executor after {@code millis} on the switchboard's scheduler. */
  Scheduler.Cancellable schedule(long millis, Runnable task) {
    return engine.timers.schedule(millis, () -> post(task));
  }

  void warn(String warning) {
    if (warnings == null) warnings = new ArrayList<>(2);
    warnings.add(warning);
  }

  /** Counts a trial as started: attempt number, time, in-flight and quota bookkeeping. */
  void started(Trial trial) {
    trial.state = Trial.State.SENT;
    trial.number = ++attempts;
    trial.start = engine.clock.instant();
    trial.startMillis = trial.start.toEpochMilli();
    trial.t.health.inFlight.incrementAndGet();
    trial.t.health.quota.onSend(trial.startMillis, facts.estimatedInput());
    listener.attemptStart(trial.t.ref, trial.number, trial.hedge());
  }

  void traceFailed(Trial trial, SwitchboardException e, long tookMillis) {
    Attempt a = Attempt.failed(trial.t.ref, trial.start, Duration.ofMillis(tookMillis), e, trial.hedge());
    trace.add(a);
    listener.attemptEnd(a);
    if (log.isDebugEnabled()) {
      log.debug("attempt {} on {} failed after {} ms: {} (HTTP {}, request-id {})", trial.number, trial.t.ref, tookMillis,
          e.kind(), e.httpStatus().isPresent() ? e.httpStatus().getAsInt() : "-", e.requestId().orElse("-"));
    }
  }

  void traceCancelled(Trial trial, String why) {
    Attempt a = Attempt.cancelled(trial.t.ref, trial.start, Duration.ofMillis(now() - trial.startMillis), trial.hedge(), why);
    trace.add(a);
    listener.attemptEnd(a);
  }

  void traceSucceeded(Trial trial, long tookMillis) {
    Attempt a = Attempt.succeeded(trial.t.ref, trial.start, Duration.ofMillis(tookMillis), trial.hedge());
    trace.add(a);
    listener.attemptEnd(a);
    if (log.isDebugEnabled()) {
      log.debug("attempt {} on {} succeeded after {} ms{}", trial.number, trial.t.ref, tookMillis, trial.hedge() ? " (hedge)" : "");
    }
  }

  SwitchboardException deadlineError() {
    return SwitchboardException.builder(ErrorKind.TIMEOUT,
            "call to model alias '" + route.name + "' passed its deadline of " + timeoutMillis + " ms")
        .attempts(List.copyOf(trace)).cause(lastError).build();
  }

  SwitchboardException attemptTimeout(Trial trial, long millis, String what) {
    return SwitchboardException.builder(ErrorKind.TIMEOUT, what + " after " + millis + " ms")
        .provider(trial.t.ref.provider()).target(trial.t.ref.deployment()).build();
  }

  /** Tells the listener the call is over. */
  void ended(AliasTarget servedBy, Usage usage, String model, SwitchboardException error) {
    if (tracking.getAndSet(ENDED) == TRACKED) engine.untrack(this);
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
    Throwable cause = dev.switchboard.http.HttpCalls.cause(t); // the one unwrap of CompletionException and ExecutionException
    if (cause instanceof SwitchboardException e) return e;
    if (cause instanceof java.util.concurrent.CancellationException) {
      return SwitchboardException.of(ErrorKind.CANCELLED, "attempt cancelled");
    }
    // A provider broke its contract; still give the caller a typed error.
    return SwitchboardException.builder(ErrorKind.PROTOCOL, "provider failed with " + cause.getClass().getName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())).cause(cause).build();
  }

  // ---- starting attempts: plan, then permits, then the sender ----------------------------------

  /** A trial object for {@code target}, as the sender keeps it (for the plan). */
  Trial newTrial(AliasTarget target) {
    return sender.newTrial(target);
  }

  /** Whether the call has ended. */
  boolean finished() {
    return sender.finished();
  }

  /** Whether a hedge can still help: attempts run and none has claimed the answer yet. */
  boolean hedgeable() {
    return !running.isEmpty() && !sender.claimed();
  }

  /**
   * Moves on to the next eligible target: the first one when {@code from} is null, else a
   * failover from {@code from} (which failed with {@code cause}) to a target {@code how} accepts.
   * When none is left the sender gives up.
   */
  void launch(AliasTarget from, SwitchboardException cause, RetryDecider.Failover how) {
    Trial next = from == null ? plan.next(null, null) : plan.next(how.accept(), how.rejection());
    if (next == null) next = plan.bypassOpenCircuits();
    if (next == null) {
      sender.giveUp();
      return;
    }
    if (from != null) announceFailover(from, next.t, cause.kind());
    begin(next);
  }

  /** Registers {@code trial} as running and dispatches it. */
  void begin(Trial trial) {
    running.add(trial);
    dispatch(trial);
  }

  /** A trial gave up waiting for a bulkhead slot before it was sent: the next target, unless others run. */
  private void dropped(Trial trial) {
    running.remove(trial);
    if (!trial.hedge() && running.isEmpty()) launch(null, null, null);
  }

  // ---- the permits of an attempt: circuit, then bulkhead, then send --------------------------

  /** Sends {@code trial} now, or when its target's bulkhead frees a slot (within the wait limit). */
  void dispatch(Trial trial) {
    if (trial.state != Trial.State.WAITING_FOR_SLOT) {
      sender.send(trial);
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
    sender.send(trial);
  }

  private void bulkheadWaitExpired(Trial trial, long waited) {
    if (trial.state != Trial.State.WAITING_FOR_SLOT || !trial.waiter.cancel()) return;
    trial.state = Trial.State.OVER;
    release(trial);
    plan.skip(trial.t, new Skip(ErrorKind.UNAVAILABLE, SkipReason.BULKHEAD_FULL, "at its limit of " + trial.t.health.bulkhead.maxConcurrentCalls()
        + " concurrent calls for " + waited + " ms"));
    dropped(trial);
  }

  /** Frees a trial's permits without recording an outcome (never sent, or cancelled). */
  void release(Trial trial) {
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
  void settle(Trial trial, SwitchboardException error, long tookMillis) {
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
  SwitchboardException failure() {
    SwitchboardException last = lastError;
    List<Attempt> attemptsSoFar = List.copyOf(trace);
    if (last == null) {
      Skip s = plan == null ? null : plan.strongestSkip();
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

  // ---- after a failure: retry, fail over or give up (the decision is RetryDecider's) ---------

  /** Fails over from {@code from} after {@code cause}, outside a decision (a retry that found its target closed). */
  void failOver(AliasTarget from, SwitchboardException cause) {
    launch(from, cause, failoverFrom(from, cause));
  }

  /** Which targets may take over from {@code from} after {@code cause}. */
  RetryDecider.Failover failoverFrom(AliasTarget from, SwitchboardException cause) {
    return decider.failoverFrom(from, cause.kind(), false);
  }

  /** Whether this call may still fail over (see {@link RetryDecider#mayFailOver}). */
  boolean mayFailOver() {
    return RetryDecider.mayFailOver(failovers, budgetDenied, budget);
  }

  void announceFailover(AliasTarget from, AliasTarget to, ErrorKind cause) {
    failovers++;
    listener.failover(from.ref, to.ref, cause);
    log.warn("model alias '{}' failing over from {} to {} after {}", route.name, from.ref, to.ref, cause);
  }

  /** Asks the decider what follows {@code trial}'s failure {@code e} and acts on it: retry, fail over or give up. */
  void afterFailure(Trial trial, SwitchboardException e) {
    hedger.cancel();
    boolean anotherLeft = e.kind() == ErrorKind.RATE_LIMITED && plan.untriedLeft(); // only a 429 asks
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
      sender.giveUp();
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
    Trial again = plan.admit(t);
    if (again == null) {
      failOver(t, cause);
      return;
    }
    again.retries = retries;
    begin(again);
  }

  /** Cancels the hedge and retry timers (the call is over). */
  void cancelResilienceTimers() {
    hedger.cancel();
    if (waitTimer != null) {
      waitTimer.cancel();
      waitTimer = null;
    }
  }
}
