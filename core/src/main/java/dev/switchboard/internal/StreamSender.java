package dev.switchboard.internal;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.Scheduler;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The attempts of one streamed call, sent for its {@link CallDriver}. Until the first event
 * reaches the caller the call behaves like a non-streamed one (the driver's retries, failover,
 * hedging, one deadline); the first event claims the call for its attempt ({@link #claim}).
 * After that a break ends the stream with a {@link StreamInterruptedException} carrying the
 * partial output — or, when the alias opted in, restarts it on the next target, whose first
 * event is preceded by a {@link ChatEvent.Reset}. Gaps between events are bounded by the idle
 * timeout; time spent waiting for a slow consumer does not count. The optional total limit
 * bounds the whole stream from the call's start: a stream still running then ends with TIMEOUT
 * (with its partial output, never restarted: the time is up wherever it would run).
 */
final class StreamSender implements AttemptSender {
  private static final Object CLOSED = new Object();

  final CallDriver driver;
  private final ProviderRequest request;
  final StreamState state;
  final StreamOutput output;
  /** The attempt whose events reach the caller, or CLOSED once the call ended before one did. */
  private final AtomicReference<Object> winner = new AtomicReference<>();
  private StreamTrial streaming;
  private boolean done;
  /** Some attempt's events reached the caller (a later failure is a break, not a failed start). */
  private boolean committedOnce;
  /** The total stream limit passed: the stream ends now, no restart. */
  private boolean totalPassed;
  private Scheduler.Cancellable idleTimer;
  private Scheduler.Cancellable totalTimer;

  /** Sends {@code driver}'s attempts as streams of {@code request} into {@code state}, which the caller may close. */
  StreamSender(CallDriver driver, ChatRequest request, StreamState state) {
    this.driver = driver;
    this.request = ProviderRequest.from(request); // once per call, shared by its attempts
    this.state = state;
    this.output = new StreamOutput(state, driver.engine.clock, driver.listener, driver.engine.maxStreamBytes);
    // The caller gets the stream only after the call started, so this cannot run during construction.
    state.onCancel(() -> driver.post(this::callerClosed));
  }

  @Override
  public void callStarted() {
    driver.policy.timeouts().streamTotal().ifPresent(total -> totalTimer = driver.schedule(total.toMillis(), this::totalLimitPassed));
  }

  @Override
  public boolean finished() {
    return done;
  }

  @Override
  public Trial newTrial(AliasTarget target) {
    return new StreamTrial(this, target, false, null);
  }

  // ---- called on the provider's thread --------------------------------------------------------

  boolean claim(StreamTrial a) {
    return winner.compareAndSet(null, a);
  }

  // ---- starting attempts ----------------------------------------------------------------------

  @Override
  public boolean claimed() {
    return winner.get() != null;
  }

  /**
   * Restarts a broken stream on the next target that may take over from {@code from} (no
   * open-circuit fallback); the caller keeps the stream it holds.
   */
  private void restartElsewhere(AliasTarget from, SwitchboardException cause) {
    CallDriver d = driver;
    RetryDecider.Failover how = d.failoverFrom(from, cause);
    Trial next = d.plan.next(how.accept(), how.rejection());
    if (next == null) {
      interrupted(cause);
      return;
    }
    d.announceFailover(from, next.t, cause.kind());
    StreamTrial a = new StreamTrial(this, next.t, true, cause.kind());
    transferPermits(next, a);
    d.begin(a);
  }

  private static void transferPermits(Trial from, Trial to) {
    to.holdsCircuit = from.holdsCircuit;
    to.holdsSlot = from.holdsSlot;
    to.state = from.state;
    if (from.role == Trial.Role.BYPASS) to.role = Trial.Role.BYPASS;
  }

  @Override
  public void send(Trial trial) {
    StreamTrial a = (StreamTrial) trial;
    CallDriver d = driver;
    long remaining = d.remaining();
    if (!a.restart && remaining <= 0) {
      d.running.remove(a);
      d.release(a);
      deadlinePassed();
      return;
    }
    d.started(a);
    long limit = a.restart ? d.policy.timeouts().streamIdle().toMillis()
        : Math.min(d.policy.timeouts().firstResponseLimitMillis(true, d.timeoutMillis, d.plan.untriedLeft()), remaining);
    try {
      StreamHandle h = a.t.provider.stream(new ProviderCall(request, a.t.ref, Duration.ofMillis(limit), a.number), a);
      if (h == null) throw new IllegalStateException("provider returned no stream handle");
      a.handle(h);
    } catch (RuntimeException e) {
      a.phase.set(StreamTrial.ENDED);
      failed(a, CallDriver.unwrap(e));
      return;
    }
    if (a.restart || limit < remaining) a.timer = d.schedule(limit, () -> firstEventTimedOut(a, limit));
    if (!a.hedge() && !a.restart) d.hedger.arm(a, a.t.health.ttft);
  }

  // ---- attempt outcomes (serial executor) -------------------------------------------------------

  void committed(StreamTrial a) {
    if (done || a.over()) return;
    streaming = a;
    committedOnce = true;
    a.cancelTimer();
    if (driver.deadlineTimer != null) driver.deadlineTimer.cancel();
    driver.hedger.cancel();
    long ttfe = a.firstEventMillis - a.startMillis;
    a.t.health.ttft.record(ttfe);
    if (a.holdsCircuit) {
      // A stream that started is a healthy answer; its probe slot is not held for the whole stream.
      a.holdsCircuit = false;
      a.t.health.circuit.record(null, null, ttfe, driver.listener, a.t.ref);
    }
    boolean raced = driver.running.size() > 1 || driver.hedger.hedges() > 0;
    cancelRunning(a, "lost to " + (a.hedge() ? "hedge on " : "") + a.t.ref);
    if (raced) driver.listener.hedgeWon(a.t.ref, a.hedge());
    if (!a.restart) driver.listener.firstEvent(a.t.ref, Duration.ofMillis(a.firstEventMillis - driver.startMillis));
    output.startedAt(a.firstEventMillis);
    armIdle(driver.policy.timeouts().streamIdle().toMillis());
    if (totalPassed) totalLimitPassed(); // its first event won the race with the total limit, by a hair
  }

  void completed(StreamTrial a, ResponseMetadata meta) {
    if (done || a.over()) return;
    end(a);
    long took = driver.now() - a.startMillis;
    driver.settle(a, null, took);
    meta.rateLimit().ifPresent(rl -> a.t.health.quota.onRateLimit(driver.now(), rl));
    driver.traceSucceeded(a, took);
    ChatResponse r = output.response(a.t.ref, meta);
    a.t.health.quota.onTokens(driver.now(), r.usage().totalTokens() - (long) driver.facts.estimatedInput());
    ChatResponse.Builder b = r.toBuilder().attempts(List.copyOf(driver.trace));
    if (driver.warnings != null) b.warnings(driver.warnings);
    r = b.build();
    finish();
    state.complete(r);
    driver.ended(a.t, r.usage(), r.model(), null);
  }

  void failed(StreamTrial a, SwitchboardException e) {
    if (done || a.over()) return;
    boolean wasStreaming = a == streaming;
    end(a);
    long took = driver.now() - a.startMillis;
    driver.settle(a, e, took);
    driver.traceFailed(a, e, took);
    driver.lastError = e;
    if (wasStreaming) {
      streaming = null;
      cancelIdleTimer();
      // Over the size limit the next target would be too: that ends the stream, never restarts it.
      if (!totalPassed && !output.overLimit() && driver.policy.streamRestart() && driver.policy.failover().failsOver(e.kind())
          && winner.compareAndSet(a, null)) {
        restartElsewhere(a.t, e);
      } else {
        interrupted(e);
      }
      return;
    }
    if (a.restart) {
      // The restart failed before its first event: the caller still holds the broken stream's output.
      restartElsewhere(a.t, e);
      return;
    }
    if (!driver.running.isEmpty()) return; // a hedge may still answer
    driver.afterFailure(a, e);
  }

  private void end(StreamTrial a) {
    a.end();
    a.phase.set(StreamTrial.ENDED);
    driver.running.remove(a);
  }

  private void firstEventTimedOut(StreamTrial a, long limit) {
    if (a.over() || !a.phase.compareAndSet(StreamTrial.WAITING, StreamTrial.ENDED)) return;
    a.cancelStream();
    a.t.health.ttft.record(limit);
    failed(a, driver.attemptTimeout(a, limit, "no stream event"));
  }

  // ---- hedging, deadlines, idle ------------------------------------------------------------------

  @Override
  public void deadlinePassed() {
    timeUp("call deadline passed before the first stream event", driver::deadlineError);
  }

  /** Ends every attempt still waiting for its first event with TIMEOUT ({@code why}) and the call with {@code error}. */
  private void timeUp(String why, java.util.function.Supplier<SwitchboardException> error) {
    if (done || !winner.compareAndSet(null, CLOSED)) return;
    for (Trial t : List.copyOf(driver.running)) {
      StreamTrial a = (StreamTrial) t;
      end(a);
      if (!a.sent()) {
        driver.release(a);
        continue;
      }
      a.cancelStream();
      long took = driver.now() - a.startMillis;
      SwitchboardException e = driver.attemptTimeout(a, took, why);
      driver.settle(a, e, took);
      driver.traceFailed(a, e, took);
    }
    SwitchboardException e = error.get();
    if (committedOnce) interrupted(e); // a restart was waiting: the caller keeps what it saw
    else fail(e);
  }

  /** The whole stream ran for its total limit: whatever runs driver.now ends with TIMEOUT, without a restart. */
  private void totalLimitPassed() {
    totalTimer = null;
    if (done || (totalPassed && streaming == null)) return;
    totalPassed = true;
    long total = driver.policy.timeouts().streamTotal().orElseThrow().toMillis();
    String why = "stream ran past its total limit of " + total + " ms";
    StreamTrial a = streaming;
    if (a != null) {
      a.cancelStream();
      failed(a, driver.attemptTimeout(a, driver.now() - a.startMillis, why));
      return;
    }
    // Before the first event (or while a restart waits for its first one): the limit is a deadline.
    timeUp(why, () -> SwitchboardException.builder(ErrorKind.TIMEOUT, "stream of model alias '" + driver.route.name + "' " + why)
        .attempts(List.copyOf(driver.trace)).cause(driver.lastError).build());
  }

  private void armIdle(long millis) {
    idleTimer = driver.schedule(millis, this::idleCheck);
  }

  private void idleCheck() {
    idleTimer = null;
    StreamTrial a = streaming;
    if (done || a == null) return;
    long idle = driver.policy.timeouts().streamIdle().toMillis();
    long quiet = driver.now() - output.lastEventMillis();
    if (output.pushing()) {
      armIdle(idle); // the caller is slow, not the provider
    } else if (quiet < idle) {
      armIdle(idle - quiet);
    } else {
      a.cancelStream();
      failed(a, driver.attemptTimeout(a, quiet, "no stream event for " + quiet + " ms (stream idle limit)"));
    }
  }

  // ---- endings ------------------------------------------------------------------------------------

  private void interrupted(SwitchboardException cause) {
    List<dev.switchboard.Attempt> attemptsSoFar = List.copyOf(driver.trace);
    dev.switchboard.PartialOutput partial = output.partial();
    StreamInterruptedException e = StreamInterruptedException.of(cause.toBuilder().attempts(attemptsSoFar).build(), partial);
    finish();
    state.fail(e);
    driver.ended(null, partial.usage().orElse(null), null, e);
  }

  private void callerClosed() {
    if (done) return;
    winner.set(CLOSED);
    cancelRunning(null, "stream closed by the caller");
    finish();
    driver.ended(null, null, null, SwitchboardException.builder(ErrorKind.CANCELLED, "stream closed by the caller")
        .attempts(List.copyOf(driver.trace)).build());
  }

  @Override
  public void abort(SwitchboardException error) {
    if (done) return;
    boolean wasStreaming = streaming != null;
    cancelRunning(null, "call aborted");
    // Events already reached the caller: end with the partial output, as any break after them does.
    if (wasStreaming) interrupted(error);
    else fail(error.toBuilder().attempts(List.copyOf(driver.trace)).build()); // with the attempts just cancelled
  }

  @Override
  public void giveUp() {
    fail(driver.failure());
  }

  private void fail(SwitchboardException error) {
    if (done) return;
    winner.compareAndSet(null, CLOSED);
    finish();
    state.fail(error);
    driver.ended(null, null, null, error);
  }

  private void finish() {
    done = true;
    driver.cancelResilienceTimers();
    cancelIdleTimer();
    if (totalTimer != null) {
      totalTimer.cancel();
      totalTimer = null;
    }
    if (driver.deadlineTimer != null) driver.deadlineTimer.cancel();
  }

  /** Cancels every driver.running attempt except {@code keep}, tracing each as cancelled for {@code why}. */
  private void cancelRunning(StreamTrial keep, String why) {
    for (Trial t : List.copyOf(driver.running)) {
      StreamTrial a = (StreamTrial) t;
      if (a == keep) continue;
      end(a);
      a.cancelStream();
      if (!a.sent()) {
        driver.release(a);
        continue;
      }
      driver.settle(a, SwitchboardException.of(ErrorKind.CANCELLED, why), 0);
      driver.traceCancelled(a, why);
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel();
      idleTimer = null;
    }
  }
}
