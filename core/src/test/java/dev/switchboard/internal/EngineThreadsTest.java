package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On which thread the engine sends an attempt (where a real provider encodes and signs its
 * request body): never the scheduler's thread, which only hands due timers over, and never the
 * callback thread of the provider whose attempt failed. With the switchboard's own real-time
 * scheduler, both hand the work to the engine's worker threads.
 */
class EngineThreadsTest {
  private final ExecutorService callbackThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "provider-a-callback"));

  @AfterEach
  void stop() {
    callbackThread.shutdownNow();
  }

  @Test
  void aRetryAfterBackoffIsSentOnAWorkerNotOnTheSchedulerThread() {
    Recording a = new Recording(MockProvider.create().thenFail(ErrorKind.UNAVAILABLE).thenReply("second try"), null, null);
    RoutingPolicy retryFast = RoutingPolicy.builder()
        .retry(RetryPolicy.builder().maxRetries(1).fixedBackoff(Duration.ofMillis(1)).build()).build();
    try (Switchboard sb = Switchboard.builder().deployment("a", a).routing(retryFast)
        .model(ModelAlias.builder("chat").target("a", "m").build()).build()) {
      ChatResponse r = sb.chat(ChatRequest.of("chat", "hi"));
      assertThat(r.text()).isEqualTo("second try");
    }
    assertThat(a.threads).hasSize(2);
    assertThat(a.threads.get(0)).isEqualTo(Thread.currentThread().getName()); // the first attempt: the caller's thread
    assertThat(a.threads.get(1)).startsWith("switchboard-worker-").doesNotStartWith("switchboard-scheduler-");
  }

  @Test
  void aFailureReportedOnTheProvidersCallbackThreadStartsTheNextTargetOnAWorker() {
    CountDownLatch started = new CountDownLatch(1);
    Recording a = new Recording(MockProvider.create().thenFail(ErrorKind.RATE_LIMITED), callbackThread, started);
    Recording b = new Recording(MockProvider.create().thenReply("from b"), null, null);
    try (Switchboard sb = Switchboard.builder().deployment("a", a).deployment("b", b)
        .model(ModelAlias.builder("chat").target("a", "m").target("b", "m").build()).build()) {
      CompletableFuture<ChatResponse> f = sb.chatAsync(ChatRequest.of("chat", "hi"));
      started.countDown(); // the call is idle, waiting for a: its failure arrives on a's callback thread alone
      assertThat(f.join().text()).isEqualTo("from b");
    }
    assertThat(a.threads).hasSize(1);
    assertThat(b.threads).hasSize(1);
    assertThat(b.threads.get(0)).startsWith("switchboard-worker-").isNotEqualTo("provider-a-callback");
  }

  /**
   * A provider that records the thread each attempt is sent on; given {@code callbacks}, it
   * answers on that thread once {@code release} is open.
   */
  private static final class Recording implements ChatProvider {
    final List<String> threads = new CopyOnWriteArrayList<>();
    private final MockProvider delegate;
    private final ExecutorService callbacks;
    private final CountDownLatch release;

    Recording(MockProvider delegate, ExecutorService callbacks, CountDownLatch release) {
      this.delegate = delegate;
      this.callbacks = callbacks;
      this.release = release;
    }

    @Override
    public String type() {
      return delegate.type();
    }

    @Override
    public Capabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ProviderCall call) {
      threads.add(Thread.currentThread().getName());
      CompletableFuture<ChatResponse> answer = delegate.chat(call);
      if (callbacks == null) return answer;
      CompletableFuture<ChatResponse> out = new CompletableFuture<>();
      answer.whenComplete((v, e) -> callbacks.execute(() -> {
        try {
          release.await();
        } catch (InterruptedException stopped) {
          Thread.currentThread().interrupt();
        }
        if (e != null) out.completeExceptionally(e);
        else out.complete(v);
      }));
      return out;
    }

    @Override
    public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
      return delegate.stream(call, listener);
    }
  }
}
