package dev.switchboard.internal;

import dev.switchboard.CallListener;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streamed call. Until the first event reaches the caller it behaves like a non-streamed
 * call (retries, failover, hedging, one deadline); the first event commits it to its attempt.
 * After that a break ends the stream with a {@link StreamInterruptedException} carrying the
 * partial output — or, when the alias opted in, restarts it on the next target, whose first
 * event is preceded by a {@link ChatEvent.Reset}. Gaps between events are bounded by the idle
 * timeout; time spent waiting for a slow consumer does not count. The optional total limit
 * bounds the whole stream from the call's start: a stream still running then ends with TIMEOUT
 * (with its partial output, never restarted: the time is up wherever it would run).
 */
final class StreamCall extends CallDriver {
  private static final Object CLOSED = new Object();

  private final ProviderRequest request;
  final StreamState state;
  final StreamOutput output;
  /** The attempt whose events reach the caller, or CLOSED once the call ended before one did. */
  private final AtomicReference<Object> winner = new AtomicReference<>();
  private final List<StreamTrial> running = new ArrayList<>(2);
  private StreamTrial streaming;
  private boolean done;
  /** Some attempt's events reached the caller (a later failure is a break, not a failed start). */
  private boolean committedOnce;
  /** The total stream limit passed: the stream ends now, no restart. */
  private boolean totalPassed;
  private Scheduler.Cancellable idleTimer;
  private Scheduler.Cancellable totalTimer;

  StreamCall(CallEngine engine, AliasRoute route, ChatRequest request, StreamState state) {
    super(engine, route, RequestFacts.of(request, true), dev.switchboard.CallListener.CallInfo.CHAT, request.timeout());
    this.request = ProviderRequest.from(request); // once per call, shared by its attempts
    this.state = state;
    this.output = new StreamOutput(state, engine.clock, listener, engine.maxStreamBytes);
  }

  void start() {
    state.onCancel(() -> post(this::callerClosed));
    post(this::begin);
  }

  private void begin() {
    listener.callStart(info);
    engine.budget.onCall(startMillis);
    deadlineTimer = schedule(timeoutMillis, this::deadlinePassed);
    policy.timeouts().streamTotal().ifPresent(total -> totalTimer = schedule(total.toMillis(), this::totalLimitPassed));
    plan();
    launch(null, null, null, false);
  }

  @Override
  boolean finished() {
    return done;
  }

  @Override
  Trial newTrial(AliasTarget target) {
    return new StreamTrial(this, target, false, null);
  }

  // ---- called on the provider's thread --------------------------------------------------------

  boolean claim(StreamTrial a) {
    return winner.compareAndSet(null, a);
  }

  // ---- starting attempts ----------------------------------------------------------------------

  @Override
  void launch(AliasTarget from, SwitchboardException cause, RetryDecider.Failover how) {
    launch(from, cause, how, false);
  }

  @Override
  void begin(Trial trial) {
    running.add((StreamTrial) trial);
    dispatch(trial);
  }

  @Override
  boolean hedgeable() {
    return winner.get() == null && !running.isEmpty();
  }

  private void launch(AliasTarget from, SwitchboardException cause, RetryDecider.Failover how, boolean restart) {
    Trial next = from == null ? plan.next(null, null) : plan.next(how.accept(), how.rejection());
    if (next == null && !restart) next = plan.bypassOpenCircuits();
    if (next == null) {
      if (restart) interrupted(cause);
      else fail(failure());
      return;
    }
    if (from != null) announceFailover(from, next.t, cause.kind());
    StreamTrial a = restart ? new StreamTrial(this, next.t, true, cause.kind()) : (StreamTrial) next;
    if (restart) transferPermits(next, a);
    running.add(a);
    dispatch(a);
  }

  /** Restarts a broken stream on another target; the caller keeps the stream it holds. */
  private void restartElsewhere(AliasTarget from, SwitchboardException cause) {
    launch(from, cause, failoverFrom(from, cause), true);
  }

  private static void transferPermits(Trial from, Trial to) {
    to.holdsCircuit = from.holdsCircuit;
    to.holdsSlot = from.holdsSlot;
    to.state = from.state;
    if (from.role == Trial.Role.BYPASS) to.role = Trial.Role.BYPASS;
  }

  @Override
  void send(Trial trial) {
    StreamTrial a = (StreamTrial) trial;
    long remaining = remaining();
    if (!a.restart && remaining <= 0) {
      running.remove(a);
      release(a);
      deadlinePassed();
      return;
    }
    started(a);
    long limit = a.restart ? policy.timeouts().streamIdle().toMillis()
        : Math.min(policy.timeouts().firstResponseLimitMillis(true, timeoutMillis, plan.untriedLeft()), remaining);
    try {
      StreamHandle h = a.t.provider.stream(new ProviderCall(request, a.t.ref, Duration.ofMillis(limit), a.number), a);
      if (h == null) throw new IllegalStateException("provider returned no stream handle");
      a.handle(h);
    } catch (RuntimeException e) {
      a.phase.set(StreamTrial.ENDED);
      failed(a, unwrap(e));
      return;
    }
    if (a.restart || limit < remaining) a.timer = schedule(limit, () -> firstEventTimedOut(a, limit));
    if (!a.hedge() && !a.restart) hedger.arm(a, a.t.health.ttft);
  }

  @Override
  void dropped(Trial trial) {
    running.remove(trial);
    if (!trial.hedge() && running.isEmpty()) launch(null, null, null, false);
  }

  // ---- attempt outcomes (serial executor) -------------------------------------------------------

  void committed(StreamTrial a) {
    if (done || a.over()) return;
    streaming = a;
    committedOnce = true;
    a.cancelTimer();
    if (deadlineTimer != null) deadlineTimer.cancel();
    hedger.cancel();
    long ttfe = a.firstEventMillis - a.startMillis;
    a.t.health.ttft.record(ttfe);
    if (a.holdsCircuit) {
      // A stream that started is a healthy answer; its probe slot is not held for the whole stream.
      a.holdsCircuit = false;
      a.t.health.circuit.record(null, null, ttfe, listener, a.t.ref);
    }
    boolean raced = running.size() > 1 || hedger.hedges() > 0;
    cancelRunning(a, "lost to " + (a.hedge() ? "hedge on " : "") + a.t.ref);
    if (raced) listener.hedgeWon(a.t.ref, a.hedge());
    if (!a.restart) listener.firstEvent(a.t.ref, Duration.ofMillis(a.firstEventMillis - startMillis));
    output.startedAt(a.firstEventMillis);
    armIdle(policy.timeouts().streamIdle().toMillis());
    if (totalPassed) totalLimitPassed(); // its first event won the race with the total limit, by a hair
  }

  void completed(StreamTrial a, ResponseMetadata meta) {
    if (done || a.over()) return;
    end(a);
    long took = now() - a.startMillis;
    settle(a, null, took);
    meta.rateLimit().ifPresent(rl -> a.t.health.quota.onRateLimit(now(), rl));
    traceSucceeded(a, took);
    ChatResponse r = output.response(a.t.ref, meta);
    a.t.health.quota.onTokens(now(), r.usage().totalTokens() - (long) facts.estimatedInput());
    ChatResponse.Builder b = r.toBuilder().attempts(List.copyOf(trace));
    if (warnings != null) b.warnings(warnings);
    r = b.build();
    finish();
    state.complete(r);
    ended(a.t, r.usage(), r.model(), null);
  }

  void failed(StreamTrial a, SwitchboardException e) {
    if (done || a.over()) return;
    boolean wasStreaming = a == streaming;
    end(a);
    long took = now() - a.startMillis;
    settle(a, e, took);
    traceFailed(a, e, took);
    lastError = e;
    if (wasStreaming) {
      streaming = null;
      cancelIdleTimer();
      // Over the size limit the next target would be too: that ends the stream, never restarts it.
      if (!totalPassed && !output.overLimit() && policy.streamRestart() && policy.failover().failsOver(e.kind())
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
    if (!running.isEmpty()) return; // a hedge may still answer
    afterFailure(a, e, () -> fail(failure()));
  }

  private void end(StreamTrial a) {
    a.end();
    a.phase.set(StreamTrial.ENDED);
    running.remove(a);
  }

  private void firstEventTimedOut(StreamTrial a, long limit) {
    if (a.over() || !a.phase.compareAndSet(StreamTrial.WAITING, StreamTrial.ENDED)) return;
    a.cancelStream();
    a.t.health.ttft.record(limit);
    failed(a, attemptTimeout(a, limit, "no stream event"));
  }

  // ---- hedging, deadlines, idle ------------------------------------------------------------------

  private void deadlinePassed() {
    timeUp("call deadline passed before the first stream event", this::deadlineError);
  }

  /** Ends every attempt still waiting for its first event with TIMEOUT ({@code why}) and the call with {@code error}. */
  private void timeUp(String why, java.util.function.Supplier<SwitchboardException> error) {
    if (done || !winner.compareAndSet(null, CLOSED)) return;
    for (StreamTrial a : List.copyOf(running)) {
      end(a);
      if (!a.sent()) {
        release(a);
        continue;
      }
      a.cancelStream();
      long took = now() - a.startMillis;
      SwitchboardException e = attemptTimeout(a, took, why);
      settle(a, e, took);
      traceFailed(a, e, took);
    }
    SwitchboardException e = error.get();
    if (committedOnce) interrupted(e); // a restart was waiting: the caller keeps what it saw
    else fail(e);
  }

  /** The whole stream ran for its total limit: whatever runs now ends with TIMEOUT, without a restart. */
  private void totalLimitPassed() {
    totalTimer = null;
    if (done || (totalPassed && streaming == null)) return;
    totalPassed = true;
    long total = policy.timeouts().streamTotal().orElseThrow().toMillis();
    String why = "stream ran past its total limit of " + total + " ms";
    StreamTrial a = streaming;
    if (a != null) {
      a.cancelStream();
      failed(a, attemptTimeout(a, now() - a.startMillis, why));
      return;
    }
    // Before the first event (or while a restart waits for its first one): the limit is a deadline.
    timeUp(why, () -> SwitchboardException.builder(ErrorKind.TIMEOUT, "stream of model alias '" + route.name + "' " + why)
        .attempts(List.copyOf(trace)).cause(lastError).build());
  }

  private void armIdle(long millis) {
    idleTimer = schedule(millis, this::idleCheck);
  }

  private void idleCheck() {
    idleTimer = null;
    StreamTrial a = streaming;
    if (done || a == null) return;
    long idle = policy.timeouts().streamIdle().toMillis();
    long quiet = now() - output.lastEventMillis();
    if (output.pushing()) {
      armIdle(idle); // the caller is slow, not the provider
    } else if (quiet < idle) {
      armIdle(idle - quiet);
    } else {
      a.cancelStream();
      failed(a, attemptTimeout(a, quiet, "no stream event for " + quiet + " ms (stream idle limit)"));
    }
  }

  // ---- endings ------------------------------------------------------------------------------------

  private void interrupted(SwitchboardException cause) {
    List<dev.switchboard.Attempt> attemptsSoFar = List.copyOf(trace);
    dev.switchboard.PartialOutput partial = output.partial();
    StreamInterruptedException e = StreamInterruptedException.of(cause.toBuilder().attempts(attemptsSoFar).build(), partial);
    finish();
    state.fail(e);
    ended(null, partial.usage().orElse(null), null, e);
  }

  private void callerClosed() {
    if (done) return;
    winner.set(CLOSED);
    cancelRunning(null, "stream closed by the caller");
    finish();
    ended(null, null, null, SwitchboardException.builder(ErrorKind.CANCELLED, "stream closed by the caller")
        .attempts(List.copyOf(trace)).build());
  }

  @Override
  void abort(SwitchboardException error) {
    if (done) return;
    boolean wasStreaming = streaming != null;
    cancelRunning(null, "call aborted");
    // Events already reached the caller: end with the partial output, as any break after them does.
    if (wasStreaming) interrupted(error);
    else fail(error.toBuilder().attempts(List.copyOf(trace)).build()); // with the attempts just cancelled
  }

  private void fail(SwitchboardException error) {
    if (done) return;
    winner.compareAndSet(null, CLOSED);
    finish();
    state.fail(error);
    ended(null, null, null, error);
  }

  private void finish() {
    done = true;
    cancelResilienceTimers();
    cancelIdleTimer();
    if (totalTimer != null) {
      totalTimer.cancel();
      totalTimer = null;
    }
    if (deadlineTimer != null) deadlineTimer.cancel();
  }

  /** Cancels every running attempt except {@code keep}, tracing each as cancelled for {@code why}. */
  private void cancelRunning(StreamTrial keep, String why) {
    for (StreamTrial a : List.copyOf(running)) {
      if (a == keep) continue;
      end(a);
      a.cancelStream();
      if (!a.sent()) {
        release(a);
        continue;
      }
      settle(a, SwitchboardException.of(ErrorKind.CANCELLED, why), 0);
      traceCancelled(a, why);
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel();
      idleTimer = null;
    }
  }
}
