package dev.switchboard.internal;

import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.http.CallerRuns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One non-streamed call (chat or embeddings): attempts along the plan with retries, failover and
 * hedging, within one deadline. The first success wins; concurrent attempts (hedges) that lose
 * are cancelled.
 */
final class UnaryCall<T> extends CallDriver {

  /** How one kind of call is sent and finished. */
  interface Op<T> {
    CompletableFuture<T> send(AliasTarget target, Duration timeout, int attempt);

    /** The answer with the call's trace and warnings added. */
    T finish(T value, List<dev.switchboard.Attempt> trace, List<String> warnings);

    Optional<RateLimitInfo> rateLimit(T value);

    Usage usage(T value);

    String model(T value);

    /** Whether the answer finished with a content-filter stop (for the opt-in failover). */
    boolean contentFiltered(T value);
  }

  /** Static and not generic, so that the casts from Trial are checked ones: the future is only cancelled. */
  private static final class Running extends Trial {
    CompletableFuture<?> future;

    Running(AliasTarget t) {
      super(t);
    }
  }

  private final Op<T> op;
  /** The blocking caller that runs this call's first attempts on its own thread, or null. */
  private final CallerRuns callerRuns;
  final CompletableFuture<T> result = new CompletableFuture<>();
  private final List<Running> running = new ArrayList<>(2);
  private T filtered;
  private Running filteredBy;

  UnaryCall(CallEngine engine, AliasRoute route, RequestFacts facts, String operation, Optional<Duration> timeout, Op<T> op,
      CallerRuns callerRuns) {
    super(engine, route, facts, operation, timeout);
    this.op = op;
    this.callerRuns = callerRuns;
  }

  CompletableFuture<T> start() {
    result.whenComplete((v, e) -> {
      if (e instanceof CancellationException) post(this::callerCancelled);
    });
    post(this::begin);
    return result;
  }

  private void begin() {
    listener.callStart(info);
    engine.budget.onCall(startMillis);
    deadlineTimer = schedule(timeoutMillis, this::deadlinePassed);
    plan();
    launch(null, null, null);
  }

  @Override
  boolean finished() {
    return result.isDone();
  }

  @Override
  boolean ownThread() {
    return callerRuns != null && callerRuns.onOwnerThread();
  }

  @Override
  Trial newTrial(AliasTarget target) {
    return new Running(target);
  }

  /** Starts the next eligible target: the first one, or a failover from {@code from}. */
  @Override
  void launch(AliasTarget from, SwitchboardException cause, RetryDecider.Failover how) {
    Trial next = from == null ? plan.next(null, null) : plan.next(how.accept(), how.rejection());
    if (next == null) next = plan.bypassOpenCircuits();
    if (next == null) {
      fail(failureOrFiltered());
      return;
    }
    if (from != null) announceFailover(from, next.t, cause.kind());
    begin(next);
  }

  @Override
  void begin(Trial r) {
    running.add((Running) r);
    dispatch(r);
  }

  @Override
  boolean hedgeable() {
    return !running.isEmpty();
  }

  @Override
  void send(Trial trial) {
    Running r = (Running) trial;
    long remaining = remaining();
    if (remaining <= 0) {
      running.remove(r);
      release(r);
      deadlinePassed();
      return;
    }
    started(r);
    long timeout = Math.min(policy.timeouts().firstResponseLimitMillis(false, timeoutMillis, plan.untriedLeft()), remaining);
    CompletableFuture<T> f;
    try {
      Duration attemptTimeout = Duration.ofMillis(timeout);
      f = callerRuns == null || r.hedge() ? op.send(r.t, attemptTimeout, r.number)
          : callerRuns.sending(() -> op.send(r.t, attemptTimeout, r.number));
      if (f == null) throw new IllegalStateException("provider returned no future");
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    r.future = f;
    if (timeout < remaining) {
      r.timer = schedule(timeout, () -> attemptTimedOut(r, timeout));
    }
    // A failure may start the next attempt: not on the provider's callback thread.
    f.whenComplete((v, e) -> {
      if (e == null) post(() -> attemptDone(r, v, null));
      else handOff(() -> attemptDone(r, null, e));
    });
    if (!r.hedge()) hedger.arm(r, r.t.health.latency);
  }

  @Override
  void dropped(Trial trial) {
    running.remove(trial);
    if (trial.hedge()) return;
    if (running.isEmpty()) launch(null, null, null);
  }

  private void attemptTimedOut(Running r, long timeout) {
    if (r.over()) return;
    r.future.cancel(true);
    attemptDone(r, null, attemptTimeout(r, timeout, "attempt timed out"));
  }

  private void attemptDone(Running r, T value, Throwable error) {
    if (r.over()) return;
    r.end();
    running.remove(r);
    long took = now() - r.startMillis;
    if (error == null) {
      succeeded(r, value, took);
      return;
    }
    SwitchboardException e = unwrap(error);
    if (e.kind() == ErrorKind.TIMEOUT) r.t.health.latency.record(took);
    settle(r, e, took);
    traceFailed(r, e, took);
    lastError = e;
    if (!running.isEmpty()) return; // a concurrent attempt may still win
    afterFailure(r, e, () -> fail(failureOrFiltered()));
  }

  private void succeeded(Running r, T value, long took) {
    op.rateLimit(value).ifPresent(rl -> r.t.health.quota.onRateLimit(now(), rl));
    Usage usage = op.usage(value);
    r.t.health.quota.onTokens(now(), usage.totalTokens() - (long) facts.estimatedInput());
    if (policy.failover().onContentFilterFinish() && op.contentFiltered(value)) {
      settle(r, null, took);
      SwitchboardException e = SwitchboardException.builder(ErrorKind.CONTENT_FILTERED, "answer finished by the content filter")
          .provider(r.t.ref.provider()).target(r.t.ref.deployment()).build();
      traceFailed(r, e, took);
      if (filtered == null) {
        filtered = value;
        filteredBy = r;
      }
      lastError = e;
      if (!running.isEmpty()) return;
      hedger.cancel();
      if (remaining() > 0 && mayFailOver()) failOver(r.t, e);
      else fail(failureOrFiltered());
      return;
    }
    r.t.health.latency.record(took);
    settle(r, null, took);
    traceSucceeded(r, took);
    complete(r, value);
  }

  private void complete(Running winner, T value) {
    boolean raced = !running.isEmpty() || hedger.hedges() > 0;
    if (!running.isEmpty()) cancelOthers("lost to " + (winner.hedge() ? "hedge on " : "") + winner.t.ref);
    if (raced) listener.hedgeWon(winner.t.ref, winner.hedge());
    cancelTimers();
    T answer = op.finish(value, List.copyOf(trace), warnings == null ? List.of() : warnings);
    if (result.complete(answer)) ended(winner.t, op.usage(value), op.model(value), null);
  }

  /** The failure, unless an opted-in content-filter failover found nothing better than the filtered answer. */
  private SwitchboardException failureOrFiltered() {
    if (filtered != null) {
      warn("answer from " + filteredBy.t.ref + " was stopped by the content filter; no other target could answer");
      cancelTimers();
      T answer = op.finish(filtered, List.copyOf(trace), warnings);
      if (result.complete(answer)) ended(filteredBy.t, op.usage(filtered), op.model(filtered), null);
      return null;
    }
    return failure();
  }

  private void deadlinePassed() {
    if (finished()) return;
    for (Running r : running) {
      r.end();
      if (!r.sent()) {
        release(r);
        continue;
      }
      if (r.future != null) r.future.cancel(true);
      long took = now() - r.startMillis;
      SwitchboardException e = attemptTimeout(r, took, "call deadline passed");
      r.t.health.latency.record(took);
      settle(r, e, took);
      traceFailed(r, e, took);
    }
    running.clear();
    fail(deadlineError());
  }

  private void callerCancelled() {
    cancelOthers("cancelled by the caller");
    cancelTimers();
    ended(null, null, null, SwitchboardException.builder(ErrorKind.CANCELLED, "call cancelled by the caller")
        .attempts(List.copyOf(trace)).build());
  }

  @Override
  void abort(SwitchboardException error) {
    cancelOthers("call aborted");
    fail(error.toBuilder().attempts(List.copyOf(trace)).build()); // with the attempts just cancelled
  }

  private void fail(SwitchboardException error) {
    if (error == null) return; // already answered
    cancelTimers();
    if (result.completeExceptionally(error)) ended(null, null, null, error);
  }

  private void cancelOthers(String why) {
    for (Running r : running) {
      r.end();
      if (!r.sent()) {
        release(r);
        continue;
      }
      if (r.future != null) r.future.cancel(true);
      settle(r, SwitchboardException.of(ErrorKind.CANCELLED, why), 0);
      traceCancelled(r, why);
    }
    running.clear();
  }

  private void cancelTimers() {
    cancelResilienceTimers();
    if (deadlineTimer != null) deadlineTimer.cancel();
  }
}
