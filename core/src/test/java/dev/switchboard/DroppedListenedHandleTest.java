package dev.switchboard;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.routing.Harness;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sb.stream(request).listen(listener)} keeps no handle: the stream must still run to its end.
 * Before the fix, the handle's cleaner closed the stream as abandoned once a GC ran, and the listener
 * got {@code onError(CANCELLED "stream closed by the caller")} instead of its answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DroppedListenedHandleTest {
  private final Harness h = new Harness();

  @Test
  void aStreamWhoseHandleIsDroppedAfterListenRunsToItsEnd() throws Exception {
    MockProvider a = h.mock().thenStream(StreamScript.builder().text("Hel").text("lo").build())
        .thenDelay(Duration.ofMillis(10));
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<String> end = new CompletableFuture<>();
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build()) {
      WeakReference<ChatStream> handle = listenAndDrop(sb, seen, end);

      // A GC that collects a fresh garbage object has had every chance to find the dropped handle.
      WeakReference<Object> sentinel = new WeakReference<>(new Object());
      for (int i = 0; i < 100 && sentinel.get() != null; i++) System.gc();
      assertThat(sentinel.get()).as("a GC ran").isNull();
      assertThat(handle.get()).as("the listened stream's handle is still reachable").isNotNull();

      h.time.advance(Duration.ofMillis(10));
      assertThat(end.get(20, TimeUnit.SECONDS)).isEqualTo("complete Hello");
      assertThat(seen).containsExactly("Hel", "lo");
      assertThat(a.cancellations()).isZero();
    }
  }

  private static WeakReference<ChatStream> listenAndDrop(Switchboard sb, List<String> seen, CompletableFuture<String> end) {
    ChatStream stream = sb.stream(request("chat"));
    stream.listen(new ChatStreamListener() {
      @Override
      public void onEvent(ChatEvent event) {
        if (event instanceof ChatEvent.TextDelta t) seen.add(t.text());
      }

      @Override
      public void onComplete(ChatResponse response) {
        end.complete("complete " + response.message().text());
      }

      @Override
      public void onError(SwitchboardException e) {
        end.complete("error " + e.kind() + " " + e.getMessage());
      }
    });
    return new WeakReference<>(stream);
  }
}
