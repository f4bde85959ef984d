package dev.switchboard.testing;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.Scheduler;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted provider for unit tests: no network, no WireMock. Queue what each call gets —
 * replies, tool calls, errors of any {@link ErrorKind}, stream scripts, hangs — optionally after
 * a latency measured on an injected {@link Scheduler} (use {@link VirtualTime} so tests never
 * sleep). Every call is recorded. When the queue is empty the fallback step runs (by default a
 * PROTOCOL error saying the mock has no scripted reply, so an unexpected call is never silently
 * answered).
 *
 * <pre>{@code
 * MockProvider azure = MockProvider.create().thenFail(ErrorKind.RATE_LIMITED);
 * MockProvider bedrock = MockProvider.create().thenReply("hello from bedrock");
 * Switchboard sb = Switchboard.builder()
 *     .deployment("azure", azure).deployment("bedrock", bedrock)
 *     .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build())
 *     .build();
 * }</pre>
 */
public final class MockProvider implements ChatProvider {
  private static final Executor STREAM_WORKERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "switchboard-mock-stream");
    t.setDaemon(true);
    return t;
  });

  private final Scheduler scheduler;
  private final Object lock = new Object();
  private final Deque<Step> queue = new ArrayDeque<>();
  private Step fallback = new Step(Kind.FAIL, null, null, null, null,
      SwitchboardException.of(ErrorKind.PROTOCOL, "mock provider has no scripted reply left"));
  private Duration latency = Duration.ZERO;
  private Capabilities capabilities = Capabilities.ALL;
  private final List<ProviderCall> calls = new CopyOnWriteArrayList<>();
  private final List<ProviderEmbeddingCall> embeddingCalls = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancellations = new AtomicInteger();

  private MockProvider(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** A mock whose latencies and stream delays run in real time. */
  public static MockProvider create() {
    return new MockProvider(null);
  }

  /** A mock whose latencies and stream delays run on {@code scheduler} (e.g. {@link VirtualTime}). */
  public static MockProvider create(Scheduler scheduler) {
    return new MockProvider(Objects.requireNonNull(scheduler, "scheduler == null"));
  }

  /** An exception of {@code kind} with the HTTP status a real provider would send for it. */
  public static SwitchboardException error(ErrorKind kind) {
    return SwitchboardException.builder(kind, "mock " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
        .provider("mock").httpStatus(statusFor(kind)).build();
  }

  /** A RATE_LIMITED error with HTTP 429 and {@code retryAfter}. */
  public static SwitchboardException rateLimited(Duration retryAfter) {
    return error(ErrorKind.RATE_LIMITED).toBuilder().retryAfter(retryAfter).build();
  }

  private static int statusFor(ErrorKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> 401;
      case PERMISSION -> 403;
      case NOT_FOUND -> 404;
      case INVALID_REQUEST, CONTEXT_LENGTH_EXCEEDED, CONTENT_FILTERED -> 400;
      case RATE_LIMITED, QUOTA_EXCEEDED -> 429;
      case TIMEOUT -> 408;
      case UNAVAILABLE -> 503;
      case SERVER_ERROR -> 500;
      case NETWORK, PROTOCOL, CANCELLED -> 0;
    };
  }

  // ---- scripting -------------------------------------------------------------------------

  /** The next call answers {@code text}. */
  public MockProvider thenReply(String text) {
    return thenReply(ChatResponse.builder().message(AssistantMessage.of(text)).usage(Usage.of(10, Math.max(1, text.length() / 4))));
  }

  /** The next call answers with everything but {@code servedBy} taken from {@code response}. */
  public MockProvider thenReply(ChatResponse.Builder response) {
    return enqueue(new Step(Kind.REPLY, response, null, null, null, null));
  }

  /** The next call asks for one tool call. */
  public MockProvider thenToolCall(String id, String name, String arguments) {
    return thenReply(ChatResponse.builder()
        .message(AssistantMessage.of("", List.of(new ToolCall(id, name, arguments))))
        .finishReason(FinishReason.TOOL_CALLS).usage(Usage.of(10, 5)));
  }

  /** The next call fails with {@code kind} (and the matching HTTP status). */
  public MockProvider thenFail(ErrorKind kind) {
    return thenFail(error(kind));
  }

  /** The next call fails with {@code error}. */
  public MockProvider thenFail(SwitchboardException error) {
    return enqueue(new Step(Kind.FAIL, null, null, null, null, Objects.requireNonNull(error, "error == null")));
  }

  /** The next {@code times} calls fail with {@code kind}. */
  public MockProvider thenFail(ErrorKind kind, int times) {
    for (int i = 0; i < times; i++) thenFail(kind);
    return this;
  }

  /** The next (streaming) call plays {@code script}; a non-streaming call gets its assembled result. */
  public MockProvider thenStream(StreamScript script) {
    return enqueue(new Step(Kind.STREAM, null, Objects.requireNonNull(script, "script == null"), null, null, null));
  }

  /** The next call never answers; it ends only when cancelled (deadline, hedge loser, caller). */
  public MockProvider thenHang() {
    return enqueue(new Step(Kind.HANG, null, null, null, null, null));
  }

  /** The next call answers after {@code delay} instead of the default latency. */
  public MockProvider thenDelay(Duration delay) {
    synchronized (lock) {
      Step last = queue.pollLast();
      if (last == null) throw new IllegalStateException("thenDelay follows a then... step");
      queue.addLast(last.withDelay(delay));
    }
    return this;
  }

  /** The next embedding call returns {@code vectors}. */
  public MockProvider thenEmbed(List<float[]> vectors) {
    return enqueue(new Step(Kind.EMBED, null, null, List.copyOf(vectors), null, null));
  }

  /** What every call gets once the queue is empty: the reply {@code text}. */
  public MockProvider otherwiseReply(String text) {
    synchronized (lock) {
      fallback = new Step(Kind.REPLY, ChatResponse.builder().message(AssistantMessage.of(text)).usage(Usage.of(10, 5)),
          null, null, null, null);
    }
    return this;
  }

  /** What every call gets once the queue is empty: a failure of {@code kind}. */
  public MockProvider otherwiseFail(ErrorKind kind) {
    synchronized (lock) {
      fallback = new Step(Kind.FAIL, null, null, null, null, error(kind));
    }
    return this;
  }

  /** Every call waits this long before answering (on the scheduler). */
  public MockProvider latency(Duration latency) {
    this.latency = Objects.requireNonNull(latency, "latency == null");
    return this;
  }

  public MockProvider capabilities(Capabilities capabilities) {
    this.capabilities = Objects.requireNonNull(capabilities, "capabilities == null");
    return this;
  }

  private MockProvider enqueue(Step step) {
    synchronized (lock) {
      queue.addLast(step);
    }
    return this;
  }

  private Step nextStep() {
    synchronized (lock) {
      Step s = queue.pollFirst();
      return s != null ? s : fallback;
    }
  }

  // ---- recording ---------------------------------------------------------------------------

  /** Every chat and stream call received, in order. */
  public List<ProviderCall> calls() {
    return List.copyOf(calls);
  }

  public int callCount() {
    return calls.size();
  }

  public List<ProviderEmbeddingCall> embeddingCalls() {
    return List.copyOf(embeddingCalls);
  }

  /** How many calls were cancelled by Switchboard (deadline, lost hedge, closed stream). */
  public int cancellations() {
    return cancellations.get();
  }

  /** The last call received; fails if there was none. */
  public ProviderCall lastCall() {
    if (calls.isEmpty()) throw new AssertionError("mock provider received no call");
    return calls.get(calls.size() - 1);
  }

  /** Fails unless exactly {@code expected} chat/stream calls were received. */
  public MockProvider assertCallCount(int expected) {
    if (calls.size() != expected) {
      throw new AssertionError("expected " + expected + " call(s) to the mock provider but got " + calls.size());
    }
    return this;
  }

  /** Fails if scripted steps remain unused. */
  public MockProvider assertScriptUsed() {
    synchronized (lock) {
      if (!queue.isEmpty()) throw new AssertionError(queue.size() + " scripted step(s) were never used");
    }
    return this;
  }

  // ---- ChatProvider --------------------------------------------------------------------------

  @Override
  public String type() {
    return "mock";
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    calls.add(call);
    Step step = nextStep();
    CompletableFuture<ChatResponse> future = new CompletableFuture<>();
    future.whenComplete((r, e) -> {
      if (e instanceof java.util.concurrent.CancellationException) cancellations.incrementAndGet();
    });
    Runnable answer = () -> {
      switch (step.kind) {
        case REPLY -> future.complete(step.reply.servedBy(call.target()).build());
        case FAIL -> future.completeExceptionally(stamp(step.error, call));
        case STREAM -> future.complete(step.script.assemble(call.target()));
        case HANG -> { } // completes only by cancellation
        case EMBED -> future.completeExceptionally(stamp(error(ErrorKind.INVALID_REQUEST), call));
      }
    };
    after(step.delay != null ? step.delay : latency, answer, future);
    return future;
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    calls.add(call);
    Step step = nextStep();
    MockStreamRun run = new MockStreamRun(call, listener, step,
        scheduler != null ? scheduler : RealTime.SCHEDULER, STREAM_WORKERS, cancellations);
    Duration delay = step.delay != null ? step.delay : latency;
    if (delay.isZero()) STREAM_WORKERS.execute(run::start);
    else run.pending = schedule(delay, () -> STREAM_WORKERS.execute(run::start));
    return run::cancel;
  }

  @Override
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    embeddingCalls.add(call);
    Step step = nextStep();
    CompletableFuture<EmbeddingResponse> future = new CompletableFuture<>();
    Runnable answer = () -> {
      switch (step.kind) {
        case EMBED -> future.complete(new EmbeddingResponse(step.vectors, Usage.of(call.request().inputs().size(), 0),
            call.target().model(), call.target(), List.of()));
        case FAIL -> future.completeExceptionally(stamp(step.error, call.target().deployment()));
        case HANG -> { }
        default -> future.completeExceptionally(stamp(error(ErrorKind.INVALID_REQUEST), call.target().deployment()));
      }
    };
    after(step.delay != null ? step.delay : latency, answer, future);
    return future;
  }

  private void after(Duration delay, Runnable task, CompletableFuture<?> future) {
    if (delay.isZero()) {
      task.run();
      return;
    }
    Scheduler.Cancellable c = schedule(delay, task);
    future.whenComplete((r, e) -> c.cancel());
  }

  private Scheduler.Cancellable schedule(Duration delay, Runnable task) {
    return (scheduler != null ? scheduler : RealTime.SCHEDULER).schedule(delay, task);
  }

  static SwitchboardException stamp(SwitchboardException e, ProviderCall call) {
    return stamp(e, call.target().deployment());
  }

  static SwitchboardException stamp(SwitchboardException e, String target) {
    return e.target().isPresent() ? e : e.toBuilder().target(target).provider(e.provider().orElse("mock")).build();
  }

  enum Kind { REPLY, FAIL, STREAM, HANG, EMBED }

  record Step(Kind kind, ChatResponse.Builder reply, StreamScript script, List<float[]> vectors,
      Duration delay, SwitchboardException error) {
    Step withDelay(Duration d) {
      return new Step(kind, reply, script, vectors, d, error);
    }
  }

  /** The real-time scheduler mocks use when none is injected (created on first use). */
  static final class RealTime {
    static final dev.switchboard.internal.SystemScheduler SCHEDULER = new dev.switchboard.internal.SystemScheduler();
  }
}
