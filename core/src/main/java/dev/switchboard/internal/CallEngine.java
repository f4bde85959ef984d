package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.ResponseFormat;
import dev.switchboard.Scheduler;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Target;
import dev.switchboard.TargetRef;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls over a model alias's targets: in order, moving on only for errors that may fail
 * over, within one deadline per call. Streams fail over only until their first event reaches
 * the caller.
 */
public final class CallEngine {
  private static final Logger log = LoggerFactory.getLogger(CallEngine.class);

  private final Map<String, ChatProvider> providers;
  private final Map<String, ModelAlias> aliases;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Duration defaultTimeout;
  private final Duration streamConsumerTimeout;

  public CallEngine(Map<String, ChatProvider> providers, Map<String, ModelAlias> aliases, Clock clock,
      Scheduler scheduler, Duration defaultTimeout, Duration streamConsumerTimeout) {
    this.providers = Map.copyOf(providers);
    this.aliases = Map.copyOf(aliases);
    this.clock = clock;
    this.scheduler = scheduler;
    this.defaultTimeout = defaultTimeout;
    this.streamConsumerTimeout = streamConsumerTimeout;
  }

  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    ModelAlias alias = alias(request.model());
    Call<ChatResponse> call = new Call<>(alias, request.timeout().orElse(defaultTimeout));
    call.run((ref, remaining) -> providers.get(ref.deployment())
            .chat(new ProviderCall(request, ref, remaining, call.attemptNumber())),
        ref -> capabilityMismatch(providers.get(ref.deployment()).capabilities(), request, false),
        (r, attempts) -> r.toBuilder().attempts(attempts).build());
    return call.result;
  }

  public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
    ModelAlias alias = alias(request.model());
    Call<EmbeddingResponse> call = new Call<>(alias, request.timeout().orElse(defaultTimeout));
    call.run((ref, remaining) -> providers.get(ref.deployment())
            .embed(new ProviderEmbeddingCall(request, ref, remaining, call.attemptNumber())),
        ref -> providers.get(ref.deployment()).capabilities().embeddings()
            ? Optional.empty() : Optional.of("does not support embeddings"),
        (r, attempts) -> r.withAttempts(attempts));
    return call.result;
  }

  public ChatStream stream(ChatRequest request) {
    ModelAlias alias = alias(request.model());
    StreamState state = new StreamState(streamConsumerTimeout);
    new StreamCall(alias, request, state).next(0);
    return new DefaultChatStream(state);
  }

  private ModelAlias alias(String name) {
    ModelAlias alias = aliases.get(name);
    if (alias == null) {
      throw new IllegalArgumentException("unknown model alias '" + name + "'; configured aliases: "
          + new java.util.TreeSet<>(aliases.keySet()));
    }
    return alias;
  }

  private TargetRef ref(Target t) {
    return new TargetRef(t.deployment(), providers.get(t.deployment()).type(), t.model());
  }

  static Optional<String> capabilityMismatch(Capabilities c, ChatRequest r, boolean streaming) {
    if (streaming && !c.streaming()) return Optional.of("does not support streaming");
    if (!r.tools().isEmpty() && !c.tools()) return Optional.of("does not support tools");
    if (r.hasImages() && !c.images()) return Optional.of("does not support images");
    if (r.responseFormat() instanceof ResponseFormat.JsonSchema && !c.jsonSchema()) {
      return Optional.of("does not support JSON schema output");
    }
    return Optional.empty();
  }

  private static SwitchboardException unwrap(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof SwitchboardException e) return e;
    if (cause instanceof CancellationException) return SwitchboardException.of(ErrorKind.CANCELLED, "attempt cancelled");
    // A provider broke its contract; still give the caller a typed error.
    return SwitchboardException.builder(ErrorKind.PROTOCOL, "provider failed with " + cause.getClass().getName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())).cause(cause).build();
  }

  private SwitchboardException exhausted(String alias, List<Attempt> attempts, SwitchboardException last) {
    if (last == null) {
      return SwitchboardException.builder(ErrorKind.UNAVAILABLE, "no target of model alias '" + alias + "' could serve the request")
          .attempts(attempts).build();
    }
    long tried = attempts.stream().filter(a -> a.outcome() != Attempt.Outcome.SKIPPED).count();
    String msg = tried > 1 || attempts.size() > 1
        ? "all targets of model alias '" + alias + "' failed; last: " + last.detail()
        : last.detail();
    return SwitchboardException.builder(last.kind(), msg)
            .provider(last.provider().orElse(null)).target(last.target().orElse(null))
            .httpStatus(last.httpStatus().orElse(0)).providerCode(last.providerCode().orElse(null))
            .requestId(last.requestId().orElse(null)).retryAfter(last.retryAfter().orElse(null))
            .attempts(attempts).cause(last).build();
  }

  /** One non-streaming call: its attempts, deadline and result. */
  private final class Call<T> {
    final ModelAlias alias;
    final Instant deadline;
    final CompletableFuture<T> result = new CompletableFuture<>();
    final List<Attempt> attempts = new ArrayList<>();
    volatile CompletableFuture<T> current;
    private int attemptNumber;

    Call(ModelAlias alias, Duration timeout) {
      this.alias = alias;
      this.deadline = clock.instant().plus(timeout);
      Scheduler.Cancellable timer = scheduler.schedule(timeout, () -> {
        CompletableFuture<T> c = current;
        SwitchboardException e = SwitchboardException.of(ErrorKind.TIMEOUT,
            "call to model alias '" + alias.name() + "' passed its deadline of " + timeout.toMillis() + " ms");
        synchronized (attempts) {
          if (result.isDone()) return;
          result.completeExceptionally(e.toBuilder().attempts(List.copyOf(attempts)).build());
        }
        if (c != null) c.cancel(true);
      });
      result.whenComplete((r, t) -> {
        timer.cancel();
        CompletableFuture<T> c = current;
        if (t instanceof CancellationException && c != null) c.cancel(true);
      });
    }

    int attemptNumber() {
      return attemptNumber;
    }

    void run(BiFunction<TargetRef, Duration, CompletableFuture<T>> send,
        java.util.function.Function<TargetRef, Optional<String>> skip,
        BiFunction<T, List<Attempt>, T> finish) {
      step(0, null, send, skip, finish);
    }

    private void step(int index, SwitchboardException last, BiFunction<TargetRef, Duration, CompletableFuture<T>> send,
        java.util.function.Function<TargetRef, Optional<String>> skip, BiFunction<T, List<Attempt>, T> finish) {
      List<Target> targets = alias.targets();
      for (int i = index; i < targets.size(); i++) {
        if (result.isDone()) return;
        TargetRef ref = ref(targets.get(i));
        Optional<String> why = skip.apply(ref);
        if (why.isPresent()) {
          synchronized (attempts) {
            attempts.add(Attempt.skipped(ref, clock.instant(), why.get()));
          }
          continue;
        }
        Instant start = clock.instant();
        Duration remaining = Duration.between(start, deadline);
        if (remaining.isNegative() || remaining.isZero()) return; // the deadline timer completes the call
        attemptNumber++;
        CompletableFuture<T> f;
        try {
          f = send.apply(ref, remaining);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        current = f;
        final int next = i + 1;
        f.whenComplete((value, error) -> {
          Duration took = Duration.between(start, clock.instant());
          if (error == null) {
            List<Attempt> trace;
            synchronized (attempts) {
              attempts.add(Attempt.succeeded(ref, start, took, false));
              trace = List.copyOf(attempts);
            }
            result.complete(finish.apply(value, trace));
            return;
          }
          SwitchboardException e = unwrap(error);
          synchronized (attempts) {
            if (result.isDone()) return;
            attempts.add(Attempt.failed(ref, start, took, e, false));
          }
          log.debug("attempt on {} failed after {} ms: {}", ref, took.toMillis(), e.kind());
          if (e.kind().failoverByDefault() && next < targets.size()) {
            log.warn("failing over from {} after {}", ref.deployment(), e.kind());
            step(next, e, send, skip, finish);
          } else {
            List<Attempt> trace;
            synchronized (attempts) {
              trace = List.copyOf(attempts);
            }
            result.completeExceptionally(exhausted(alias.name(), trace, e));
          }
        });
        return;
      }
      List<Attempt> trace;
      synchronized (attempts) {
        trace = List.copyOf(attempts);
      }
      result.completeExceptionally(exhausted(alias.name(), trace, last));
    }
  }

  /** One streaming call: fails over until the first event, then is committed to its target. */
  private final class StreamCall {
    final ModelAlias alias;
    final ChatRequest request;
    final StreamState state;
    final Instant deadline;
    final List<Attempt> attempts = new ArrayList<>();
    final StreamAccumulator accumulator = new StreamAccumulator();
    int attemptNumber;
    SwitchboardException last;

    StreamCall(ModelAlias alias, ChatRequest request, StreamState state) {
      this.alias = alias;
      this.request = request;
      this.state = state;
      this.deadline = clock.instant().plus(request.timeout().orElse(defaultTimeout));
    }

    synchronized List<Attempt> trace() {
      return List.copyOf(attempts);
    }

    void next(int index) {
      List<Target> targets = alias.targets();
      for (int i = index; i < targets.size(); i++) {
        TargetRef ref = ref(targets.get(i));
        ChatProvider p = providers.get(ref.deployment());
        Optional<String> why = capabilityMismatch(p.capabilities(), request, true);
        if (why.isPresent()) {
          synchronized (this) {
            attempts.add(Attempt.skipped(ref, clock.instant(), why.get()));
          }
          continue;
        }
        Instant start = clock.instant();
        Duration remaining = Duration.between(start, deadline);
        if (remaining.isNegative() || remaining.isZero()) break;
        attemptNumber++;
        startAttempt(ref, p, start, remaining, i + 1);
        return;
      }
      state.fail(exhausted(alias.name(), trace(), last));
    }

    private void startAttempt(TargetRef ref, ChatProvider p, Instant start, Duration remaining, int nextIndex) {
      AttemptListener listener = new AttemptListener(ref, start, nextIndex);
      // Until the first event arrives, the call's deadline bounds the attempt.
      listener.firstEventTimer = scheduler.schedule(remaining, listener::firstEventTimeout);
      try {
        listener.handle = p.stream(new ProviderCall(request, ref, remaining, attemptNumber), listener);
      } catch (RuntimeException e) {
        listener.onError(unwrap(e));
        return;
      }
      state.onCancel(listener::cancel);
    }

    private final class AttemptListener implements ProviderStreamListener {
      final TargetRef ref;
      final Instant start;
      final int nextIndex;
      volatile StreamHandle handle;
      volatile Scheduler.Cancellable firstEventTimer;
      private boolean committed;
      private boolean over;

      AttemptListener(TargetRef ref, Instant start, int nextIndex) {
        this.ref = ref;
        this.start = start;
        this.nextIndex = nextIndex;
      }

      void cancel() {
        StreamHandle h = handle;
        if (h != null) h.cancel();
      }

      void firstEventTimeout() {
        onError(SwitchboardException.builder(ErrorKind.TIMEOUT, "no stream event before the call's deadline")
            .provider(ref.provider()).target(ref.deployment()).build());
        cancel();
      }

      @Override
      public void onEvent(ChatEvent event) {
        synchronized (this) {
          if (over) return;
          if (!committed) {
            committed = true;
            firstEventTimer.cancel();
          }
        }
        accumulator.accept(event);
        if (!state.push(event)) cancel();
      }

      @Override
      public void onComplete(ResponseMetadata metadata) {
        synchronized (this) {
          if (over) return;
          over = true;
        }
        firstEventTimer.cancel();
        List<Attempt> trace;
        synchronized (StreamCall.this) {
          attempts.add(Attempt.succeeded(ref, start, Duration.between(start, clock.instant()), false));
          trace = List.copyOf(attempts);
        }
        state.complete(accumulator.response(ref, metadata).toBuilder().attempts(trace).build());
      }

      @Override
      public void onError(SwitchboardException error) {
        boolean wasCommitted;
        synchronized (this) {
          if (over) return;
          over = true;
          wasCommitted = committed;
        }
        firstEventTimer.cancel();
        synchronized (StreamCall.this) {
          attempts.add(Attempt.failed(ref, start, Duration.between(start, clock.instant()), error, false));
        }
        last = error;
        if (wasCommitted) {
          state.fail(StreamInterruptedException.of(error.toBuilder().attempts(trace()).build(), accumulator.partial()));
        } else if (error.kind().failoverByDefault()) {
          log.warn("stream failing over from {} before its first event after {}", ref.deployment(), error.kind());
          next(nextIndex);
        } else {
          state.fail(exhausted(alias.name(), trace(), error));
        }
      }
    }
  }
}
