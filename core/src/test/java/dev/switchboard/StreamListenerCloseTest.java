package dev.switchboard;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.routing.Harness;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ChatStream#close()} with a listener, through a whole switchboard: it returns at once from
 * another thread while the listener is stuck in a callback, cancels the provider's stream, and
 * the listener gets exactly one {@code onError(CANCELLED)} after the callback in progress.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamListenerCloseTest {
  private final Harness h = new Harness();

  @Test
  void closeDoesNotWaitForASlowListenerAndTheListenerStillGetsOnErrorCancelled() throws Exception {
    // The stream starts only once time moves, after listen(): events that arrived before listen()
    // would be delivered on the thread calling it, here the test's own.
    MockProvider a = h.mock().thenStream(StreamScript.builder().text("first").text("second").hang())
        .thenDelay(Duration.ofMillis(10));
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<SwitchboardException> error = new CompletableFuture<>();
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build()) {
      ChatStream stream = sb.stream(request("chat"));
      stream.listen(new ChatStreamListener() {
        @Override
        public void onEvent(ChatEvent event) {
          seen.add(((ChatEvent.TextDelta) event).text());
          inside.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          returned.set(true);
        }

        @Override
        public void onComplete(ChatResponse response) {
          seen.add("complete");
        }

        @Override
        public void onError(SwitchboardException e) {
          seen.add("error " + e.kind());
          error.complete(e);
        }
      });
      h.time.advance(Duration.ofMillis(10));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

      stream.close();

      assertThat(returned).as("close() returned while the listener was still inside onEvent").isFalse();
      assertThat(stream.response()).isCompletedExceptionally();
      // The provider's stream is cancelled by the call's own task queue, which may be the thread
      // now inside onEvent: it is cancelled once that callback returns, not necessarily before.
      release.countDown();
      Harness.eventually(() -> a.cancellations() == 1);
      SwitchboardException e = error.get(10, TimeUnit.SECONDS);
      assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
      assertThat(e.getMessage()).contains("stream closed by the caller");
      assertThat(seen).containsExactly("first", "error CANCELLED");
      stream.close();
      assertThat(seen).hasSize(2);
    }
  }
}
