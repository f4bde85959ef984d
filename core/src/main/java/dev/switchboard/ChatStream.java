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
 * from any thread. Always close a stream (try-with-resources): a stream that is abandoned
 * unclosed keeps its connection until the call's deadline cancels it.
 */
public interface ChatStream extends Iterable<ChatEvent>, AutoCloseable {

  /** Iterates the events; may be called once, and not together with {@link #listen}. */
  @Override
  Iterator<ChatEvent> iterator();

  /**
   * Delivers events to {@code listener} as they arrive, on a Switchboard thread; returns at
   * once. May be called once, and not together with {@link #iterator()}.
   */
  void listen(ChatStreamListener listener);

  /**
   * The whole answer assembled from the events, completed when the stream ends (exceptionally
   * with the stream's {@link SwitchboardException}). Consuming the events is still needed: the
   * future does not drain the stream by itself unless a listener is registered.
   */
  CompletableFuture<ChatResponse> response();

  /** Cancels the call if it is still running and releases its connection. */
  @Override
  void close();
}
