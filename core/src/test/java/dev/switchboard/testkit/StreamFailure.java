package dev.switchboard.testkit;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.SwitchboardException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Listens to a stream that is expected to fail: its error, or an AssertionError if it completes. */
public final class StreamFailure {
  private StreamFailure() {}

  /** The error {@code stream} ends with; the future fails with an {@link AssertionError} if the stream completes. */
  public static CompletableFuture<SwitchboardException> of(ChatStream stream) {
    return of(stream, event -> { });
  }

  /** As {@link #of(ChatStream)}, handing each event to {@code events} (e.g. a list's {@code add}). */
  public static CompletableFuture<SwitchboardException> of(ChatStream stream, Consumer<ChatEvent> events) {
    CompletableFuture<SwitchboardException> failed = new CompletableFuture<>();
    stream.listen(new ChatStreamListener() {
      @Override
      public void onEvent(ChatEvent event) {
        events.accept(event);
      }

      @Override
      public void onComplete(ChatResponse response) {
        failed.completeExceptionally(new AssertionError("completed"));
      }

      @Override
      public void onError(SwitchboardException error) {
        failed.complete(error);
      }
    });
    return failed;
  }
}
