package dev.switchboard.internal;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The caller's handle on a stream. It holds the {@link StreamState}; the producer side holds only
 * the state, so a handle the caller drops unclosed becomes unreachable and a {@link Cleaner}
 * closes it (cancelling the call) even before the deadline or consumer timeout would. A handle
 * whose stream a listener consumes is kept reachable by the state until the stream ends, so
 * {@code sb.stream(request).listen(listener)} without keeping the handle runs to its end.
 */
public final class DefaultChatStream implements ChatStream {
  private static final Cleaner CLEANER = Cleaner.create();

  private final StreamState state;
  private final Cleaner.Cleanable cleanable;

  public DefaultChatStream(StreamState state) {
    this.state = state;
    this.cleanable = CLEANER.register(this, state::close);
  }

  @Override
  public Iterator<ChatEvent> iterator() {
    state.chooseIterator();
    return new Iterator<>() {
      private ChatEvent next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next != null) return true;
        if (done) return false;
        next = state.take();
        if (next == null) done = true;
        return next != null;
      }

      @Override
      public ChatEvent next() {
        if (!hasNext()) throw new NoSuchElementException("stream has ended");
        ChatEvent e = next;
        next = null;
        return e;
      }
    };
  }

  @Override
  public void listen(ChatStreamListener listener) {
    state.chooseListener(Objects.requireNonNull(listener, "listener == null"), this);
  }

  @Override
  public CompletableFuture<ChatResponse> response() {
    return state.response();
  }

  @Override
  public void close() {
    cleanable.clean();
  }
}
