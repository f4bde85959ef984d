package dev.switchboard.internal;

import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.http.CallerRuns;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The attempts of one non-streamed call (chat or embeddings), sent for its {@link CallDriver}:
 * each attempt is one future from the {@link Op}; the first success wins and completes the
 * call's result, and concurrent attempts (hedges) that lose are cancelled. Retries, failover,
 * hedging and the deadline are the driver's.
 */
final class UnarySender<T> implements AttemptSender {

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

  private final CallDriver driver;
  private final Op<T> op;
  private final CompletableFuture<T> result;
  private T filtered;
  private Running filteredBy;

  /** Sends {@code driver}'s attempts through {@code op} and answers in {@code result}, which the caller may cancel. */
  UnarySender(CallDriver driver, Op<T> op, CompletableFuture<T> result) {
    this.driver = driver;
    this.op = op;
    this.result = result;
    // The caller gets the result only after the call started, so this cannot run during construction.
    result.whenComplete((v, e) -> {
      if (e instanceof CancellationException) driver.post(this::callerCancelled);
    });
  }

  @Override
  public boolean finished() {
    return result.isDone();
  }

  @Override
  public Trial newTrial(AliasTarget target) {
    return new Running(target);
  }

  @Override
  public void send(Trial trial) {
    Running r = (Running) trial;
    CallDriver d = driver;
    long remaining = d.remaining();
    if (remaining <= 0) {
      d.running.remove(r);
      d.release(r);
      deadlinePassed();
      return;
    }
    d.started(r);
    long timeout = Math.min(d.policy.timeouts().firstResponseLimitMillis(false, d.timeoutMillis, d.plan.untriedLeft()), remaining);
    CompletableFuture<T> f;
    try {
      Duration attemptTimeout = Duration.ofMillis(timeout);
      CallerRuns callerRuns = d.callerRuns;
      f = callerRuns == null || r.hedge() ? op.send(r.t, attemptTimeout, r.number)
          : callerRuns.sending(() -> op.send(r.t, attemptTimeout, r.number));
      if (f == null) throw new IllegalStateException("provider returned no future");
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    r.future = f;
    if (timeout < remaining) {
      r.timer = d.schedule(timeout, () -> attemptTimedOut(r, timeout));
    }
    // A failure may start the next attempt: not on the provider's callback thread.
    f.whenComplete((v, e) -> {
      if (e == null) d.post(() -> attemptDone(r, v, null));
      else d.handOff(() -> attemptDone(r, null, e));
    });
    if (!r.hedge()) d.hedger.arm(r, r.t.health.latency);
  }

  private void attemptTimedOut(Running r, long timeout) {
    if (r.over()) return;
    r.future.cancel(true);
    attemptDone(r, null, driver.attemptTimeout(r, timeout, "attempt timed out"));
  }

  private void attemptDone(Running r, T value, Throwable error) {
    if (r.over()) return;
    CallDriver d = driver;
    r.end();
    d.running.remove(r);
    long took = d.now() - r.startMillis;
    if (error == null) {
      succeeded(r, value, took);
      return;
    }
    SwitchboardException e = CallDriver.unwrap(error);
    if (e.kind() == ErrorKind.TIMEOUT) r.t.health.latency.record(took);
    d.settle(r, e, took);
    d.traceFailed(r, e, took);
    d.lastError = e;
    if (!d.running.isEmpty()) return; // a concurrent attempt may still win
    d.afterFailure(r, e);
  }

  private void succeeded(Running r, T value, long took) {
    CallDriver d = driver;
    op.rateLimit(value).ifPresent(rl -> r.t.health.quota.onRateLimit(d.now(), rl));
    Usage usage = op.usage(value);
    r.t.health.quota.onTokens(d.now(), usage.totalTokens() - (long) d.facts.estimatedInput());
    if (d.policy.failover().onContentFilterFinish() && op.contentFiltered(value)) {
      d.settle(r, null, took);
      SwitchboardException e = SwitchboardException.builder(ErrorKind.CONTENT_FILTERED, "answer finished by the content filter")
          .provider(r.t.ref.provider()).target(r.t.ref.deployment()).build();
      d.traceFailed(r, e, took);
      if (filtered == null) {
        filtered = value;
        filteredBy = r;
      }
      d.lastError = e;
      if (!d.running.isEmpty()) return;
      d.hedger.cancel();
      if (d.remaining() > 0 && d.mayFailOver()) d.failOver(r.t, e);
      else giveUp();
      return;
    }
    r.t.health.latency.record(took);
    d.settle(r, null, took);
    d.traceSucceeded(r, took);
    complete(r, value);
  }

  private void complete(Running winner, T value) {
    CallDriver d = driver;
    boolean raced = !d.running.isEmpty() || d.hedger.hedges() > 0;
    if (!d.running.isEmpty()) cancelOthers("lost to " + (winner.hedge() ? "hedge on " : "") + winner.t.ref);
    if (raced) d.listener.hedgeWon(winner.t.ref, winner.hedge());
    cancelTimers();
    T answer = op.finish(value, List.copyOf(d.trace), d.warnings == null ? List.of() : d.warnings);
    if (result.complete(answer)) d.ended(winner.t, op.usage(value), op.model(value), null);
  }

  /** Fails the call, unless an opted-in content-filter failover found nothing better than the filtered answer. */
  @Override
  public void giveUp() {
    if (filtered != null) {
      CallDriver d = driver;
      d.warn("answer from " + filteredBy.t.ref + " was stopped by the content filter; no other target could answer");
      cancelTimers();
      T answer = op.finish(filtered, List.copyOf(d.trace), d.warnings);
      if (result.complete(answer)) d.ended(filteredBy.t, op.usage(filtered), op.model(filtered), null);
      return;
    }
    fail(driver.failure());
  }

  @Override
  public void deadlinePassed() {
    if (finished()) return;
    CallDriver d = driver;
    endRunning(r -> {
      long took = d.now() - r.startMillis;
      SwitchboardException e = d.attemptTimeout(r, took, "call deadline passed");
      r.t.health.latency.record(took);
      d.settle(r, e, took);
      d.traceFailed(r, e, took);
    });
    fail(d.deadlineError());
  }

  private void callerCancelled() {
    cancelOthers("cancelled by the caller");
    cancelTimers();
    driver.ended(null, null, null, SwitchboardException.builder(ErrorKind.CANCELLED, "call cancelled by the caller")
        .attempts(List.copyOf(driver.trace)).build());
  }

  @Override
  public void abort(SwitchboardException error) {
    cancelOthers("call aborted");
    fail(error.toBuilder().attempts(List.copyOf(driver.trace)).build()); // with the attempts just cancelled
  }

  private void fail(SwitchboardException error) {
    cancelTimers();
    if (result.completeExceptionally(error)) driver.ended(null, null, null, error);
  }

  private void cancelOthers(String why) {
    endRunning(r -> {
      driver.settle(r, SwitchboardException.of(ErrorKind.CANCELLED, why), 0);
      driver.traceCancelled(r, why);
    });
  }

  /**
   * Ends every running attempt: one not yet sent gives its permits back; one on the wire has its
   * future cancelled and is handed to {@code sent} to settle and trace.
   */
  private void endRunning(Consumer<Running> sent) {
    for (Trial t : driver.running) {
      Running r = (Running) t;
      r.end();
      if (!r.sent()) {
        driver.release(r);
        continue;
      }
      if (r.future != null) r.future.cancel(true);
      sent.accept(r);
    }
    driver.running.clear();
  }

  private void cancelTimers() {
    driver.cancelResilienceTimers();
    if (driver.deadlineTimer != null) driver.deadlineTimer.cancel();
  }
}
