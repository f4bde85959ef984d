package dev.switchboard.reliability;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.Scheduler;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider for the engine soak: every attempt takes a random latency on the injected scheduler
 * (virtual time) and, with probability {@code faultRate}, fails: a typed error of a transient or
 * permanent kind, a 429 with a short or day-long Retry-After, a hang the engine must time out,
 * or (streams) a break or a stall after the first events. It keeps the SPI contract — futures
 * fail only with {@link SwitchboardException}, cancellation stops everything — and counts what
 * it did, including attempts still outstanding, which must be zero at the end.
 */
final class FlakyProvider implements ChatProvider {
  static final String TYPE = "flaky";
  private static final List<ErrorKind> TRANSIENT = List.of(ErrorKind.NETWORK, ErrorKind.UNAVAILABLE, ErrorKind.SERVER_ERROR,
      ErrorKind.TIMEOUT, ErrorKind.PROTOCOL, ErrorKind.AUTHENTICATION);

  private final String name;
  private final Scheduler scheduler;
  private final Random random;
  private final double faultRate;
  final AtomicInteger attempts = new AtomicInteger();
  final AtomicInteger faults = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  final AtomicInteger outstanding = new AtomicInteger();
  /** While set, every attempt fails with UNAVAILABLE: an outage, which makes the retry budget bind. */
  volatile boolean down;

  FlakyProvider(String name, Scheduler scheduler, long seed, double faultRate) {
    this.name = name;
    this.scheduler = scheduler;
    this.random = new Random(seed);
    this.faultRate = faultRate;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  private SwitchboardException error(ErrorKind kind, Duration retryAfter) {
    SwitchboardException.Builder b = SwitchboardException.builder(kind, "injected " + kind).provider(TYPE).target(name);
    if (retryAfter != null) b.retryAfter(retryAfter);
    return b.build();
  }

  /**
   * The fault of one attempt: null for none, else the error, or HANG (never completes), or a
   * break or stall after the first events of a stream. The mix per 100 faults: 60 transient or
   * hard errors, 10 hangs, 20 stream breaks and stalls, 5 short 429s, 3 429s without
   * Retry-After, 1 day-long 429 and 1 exhausted quota (429s cool a target down, so they are
   * rarer than in an outage).
   */
  private Object fault() {
    if (down) {
      faults.incrementAndGet();
      return error(ErrorKind.UNAVAILABLE, null);
    }
    if (random.nextDouble() >= faultRate) return null;
    faults.incrementAndGet();
    int pick = random.nextInt(100);
    if (pick < 60) return error(TRANSIENT.get(random.nextInt(TRANSIENT.size())), null);
    if (pick < 70) return HANG;
    if (pick < 80) return MID_STREAM_BREAK;
    if (pick < 90) return MID_STREAM_STALL;
    if (pick < 95) return error(ErrorKind.RATE_LIMITED, Duration.ofMillis(50 + random.nextInt(450)));
    if (pick < 98) return error(ErrorKind.RATE_LIMITED, null);
    if (pick < 99) return error(ErrorKind.RATE_LIMITED, Duration.ofDays(1));
    return error(ErrorKind.QUOTA_EXCEEDED, null);
  }

  private static final Object HANG = new Object();
  private static final Object MID_STREAM_BREAK = new Object();
  private static final Object MID_STREAM_STALL = new Object();

  private Duration latency() {
    return Duration.ofMillis(5 + random.nextInt(random.nextInt(10) == 0 ? 4000 : 600));
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    attempts.incrementAndGet();
    outstanding.incrementAndGet();
    CompletableFuture<ChatResponse> f = new CompletableFuture<>();
    Object fault = fault();
    if (fault == MID_STREAM_BREAK || fault == MID_STREAM_STALL) fault = error(ErrorKind.NETWORK, null);
    Object outcome = fault;
    Scheduler.Cancellable task = outcome == HANG ? () -> { } : scheduler.schedule(latency(), () -> {
      if (outcome instanceof SwitchboardException e) f.completeExceptionally(e);
      else f.complete(ChatResponse.builder().message(AssistantMessage.of("ok from " + name)).usage(Usage.of(10, 3))
          .finishReason(FinishReason.STOP).model(call.target().model()).servedBy(call.target()).build());
    });
    f.whenComplete((r, e) -> {
      outstanding.decrementAndGet();
      if (f.isCancelled()) {
        cancelled.incrementAndGet();
        task.cancel();
      }
    });
    return f;
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    attempts.incrementAndGet();
    outstanding.incrementAndGet();
    Object fault = fault();
    int events = 2 + random.nextInt(6);
    int breakAt = fault == MID_STREAM_BREAK || fault == MID_STREAM_STALL ? 1 + random.nextInt(events - 1) : -1;
    ScriptedStream run = new ScriptedStream(listener, fault, events, breakAt);
    run.next(0, latency());
    return run;
  }

  /** One scripted stream, advanced by scheduled steps. */
  private final class ScriptedStream implements StreamHandle {
    private final ProviderStreamListener listener;
    private final Object fault;
    private final int events;
    private final int breakAt;
    private volatile Scheduler.Cancellable step = () -> { };
    private boolean over;

    ScriptedStream(ProviderStreamListener listener, Object fault, int events, int breakAt) {
      this.listener = listener;
      this.fault = fault;
      this.events = events;
      this.breakAt = breakAt;
    }

    void next(int i, Duration after) {
      step = scheduler.schedule(after, () -> emit(i));
    }

    private void emit(int i) {
      if (over) return;
      if (i == 0 && fault instanceof SwitchboardException e) {
        end();
        listener.onError(e);
        return;
      }
      if (i == 0 && fault == HANG) return; // silent until the engine gives up
      if (i == breakAt) {
        if (fault == MID_STREAM_STALL) return;
        end();
        listener.onError(error(ErrorKind.NETWORK, null));
        return;
      }
      if (i == events) {
        listener.onEvent(new ChatEvent.Finish(FinishReason.STOP));
        end();
        listener.onComplete(ResponseMetadata.EMPTY);
        return;
      }
      listener.onEvent(new ChatEvent.TextDelta("t" + i + " "));
      next(i + 1, Duration.ofMillis(1 + random.nextInt(200)));
    }

    private void end() {
      over = true;
      outstanding.decrementAndGet();
    }

    @Override
    public void cancel() {
      if (over) return;
      end();
      cancelled.incrementAndGet();
      step.cancel();
    }
  }
}
