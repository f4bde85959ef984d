package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.Scheduler;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.routing.RoutingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every call shares, streamed or not: its serial executor, deadline, attempt trace,
 * warnings and listener. {@link RoutedRun} adds the walk along the routing plan and the targets'
 * health; {@link ResilientRun} the retry, failover and hedging decisions; {@link UnaryRun} and
 * {@link StreamRun} are the two kinds of call.
 *
 * <p>A call's state changes only inside its serial executor ({@link #post}): provider callbacks,
 * timers and cancellation each post a task, and tasks run one at a time in order, on whichever
 * thread posted when the call was idle. So the state needs no lock, a provider answering inline
 * cannot re-enter a half-done step, and no lock is ever held while calling out. Timers and
 * provider threads do not run the call's work themselves: {@link #schedule} hands due tasks to
 * the engine's worker, and {@link #handOff} an outcome that may start the next attempt.
 */
abstract class CallRun {
  private static final Logger log = LoggerFactory.getLogger(CallRun.class);

  private static final int NEW = 0;
  private static final int TRACKED = 1;
  private static final int ENDED = 2;

  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  /** Whether the engine tracks this run for {@link CallEngine#close()}: NEW, TRACKED or ENDED. */
  private final AtomicInteger tracking = new AtomicInteger(NEW);

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
  int attempts;
  SwitchboardException lastError;
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
    this.listener = CompositeCallListener.create(engine.listenerFactory, info);
  }

  /** The thread draining this call's tasks now, or null. */
  private volatile Thread runner;

  /** Runs {@code task} after the tasks posted before it, never concurrently with another task of this call. */
  final void post(Runnable task) {
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
  final void handOff(Runnable task) {
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
  boolean ownThread() {
    return false;
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
          abort(SwitchboardException.builder(closed ? ErrorKind.CANCELLED : ErrorKind.PROTOCOL,
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

  /** Ends the call at once with {@code error}, cancelling whatever runs. */
  abstract void abort(SwitchboardException error);

  /** Marks this run as tracked by the engine; false if it has already ended. */
  final boolean tracked() {
    return tracking.compareAndSet(NEW, TRACKED);
  }

  /** Ends the call with CANCELLED because the switchboard is closing (from any thread). */
  final void closedBySwitchboard() {
    post(() -> {
      if (finished()) return;
      abort(CallEngine.closedError(route.name));
    });
  }

  /** Whether the call has ended. */
  abstract boolean finished();

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

  /** Counts a trial as started: attempt number, time, in-flight and quota bookkeeping. */
  final void started(Trial trial) {
    trial.state = Trial.State.SENT;
    trial.number = ++attempts;
    trial.start = engine.clock.instant();
    trial.startMillis = trial.start.toEpochMilli();
    trial.t.health.inFlight.incrementAndGet();
    trial.t.health.quota.onSend(trial.startMillis, facts.estimatedInput());
    listener.attemptStart(trial.t.ref, trial.number, trial.hedge());
  }

  final void traceFailed(Trial trial, SwitchboardException e, long tookMillis) {
    Attempt a = Attempt.failed(trial.t.ref, trial.start, Duration.ofMillis(tookMillis), e, trial.hedge());
    trace.add(a);
    listener.attemptEnd(a);
    if (log.isDebugEnabled()) {
      log.debug("attempt {} on {} failed after {} ms: {} (HTTP {}, request-id {})", trial.number, trial.t.ref, tookMillis,
          e.kind(), e.httpStatus().isPresent() ? e.httpStatus().getAsInt() : "-", e.requestId().orElse("-"));
    }
  }

  final void traceCancelled(Trial trial, String why) {
    Attempt a = Attempt.cancelled(trial.t.ref, trial.start, Duration.ofMillis(now() - trial.startMillis), trial.hedge(), why);
    trace.add(a);
    listener.attemptEnd(a);
  }

  final void traceSucceeded(Trial trial, long tookMillis) {
    Attempt a = Attempt.succeeded(trial.t.ref, trial.start, Duration.ofMillis(tookMillis), trial.hedge());
    trace.add(a);
    listener.attemptEnd(a);
    if (log.isDebugEnabled()) {
      log.debug("attempt {} on {} succeeded after {} ms{}", trial.number, trial.t.ref, tookMillis, trial.hedge() ? " (hedge)" : "");
    }
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
