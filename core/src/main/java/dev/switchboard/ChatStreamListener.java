package dev.switchboard;

/**
 * Receives a stream's events in order, one callback at a time (never two at once, never one
 * inside another). Exactly one of {@link #onComplete} or {@link #onError} is called, last —
 * also when the stream is closed: {@link ChatStream#close()} ends it with
 * {@code onError(CANCELLED)}, after the callback in progress (if any) returns.
 *
 * <p>Callbacks normally run on the Switchboard thread that reads the stream. Events that arrived
 * before {@link ChatStream#listen} are delivered on the thread calling it, and the
 * {@code onError} of a close made while no callback runs on the thread calling {@code close()}.
 * A callback may close the stream itself. Keep callbacks short: a slow listener holds back the
 * network read (which is the stream's back-pressure), though never {@code close()}. A callback
 * that throws is logged and the stream goes on.
 */
public interface ChatStreamListener {
  void onEvent(ChatEvent event);

  /** The stream ended normally; {@code response} is the assembled answer. */
  default void onComplete(ChatResponse response) {}

  /** The stream failed; no more events follow. */
  default void onError(SwitchboardException error) {}
}
