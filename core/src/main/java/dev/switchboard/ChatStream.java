package dev.switchboard;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * A streamed answer. Consume it once, either by iterating (each {@code next()} blocks until the
 * next event; a failure is thrown from {@code hasNext()}/{@code next()} as a
 * {@link SwitchboardException}) or by registering a {@link ChatStreamListener} with
 * {@link #listen}. Failover happens invisibly until the first event reaches the caller; a break
 * after that ends the stream with a {@link StreamInterruptedException} carrying the partial
 * output.
 *
 * <p>{@link #close()} cancels the HTTP call and frees its connection; it is idempotent and safe
 * from any thread, and returns at once even while a listener's callback is running (the listener
 * then gets {@code onError(CANCELLED)} once that callback returns). An iterator blocked in
 * {@code hasNext()} whose thread is interrupted closes the stream the same way and throws
 * CANCELLED, keeping the interrupt flag set. Always close a stream (try-with-resources): a
 * stream that is abandoned unclosed keeps its connection until the call's deadline cancels it.
 */
public interface ChatStream extends Iterable<ChatEvent>, AutoCloseable {

  /** Iterates the events; may be called once, and not together with {@link #listen}. */
  @Override
  Iterator<ChatEvent> iterator();

  /**
   * Delivers events to {@code listener} as they arrive, on a Switchboard thread; events that
   * arrived before this call are delivered first, on the calling thread, then it returns. May be
   * called once, and not together with {@link #iterator()}.
   */
  void listen(ChatStreamListener listener);

  /**
   * The whole answer assembled from the events, completed when the stream ends (exceptionally
   * with the stream's {@link SwitchboardException}). Consuming the events is still needed: the
   * future does not drain the stream by itself unless a listener is registered.
   */
  CompletableFuture<ChatResponse> response();

  /**
   * Cancels the call if it is still running and releases its connection; a listener gets
   * {@code onError(CANCELLED)} if the stream had not ended. Never waits for a listener.
   */
  @Override
  void close();
}
