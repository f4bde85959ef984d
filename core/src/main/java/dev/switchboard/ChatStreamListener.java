package dev.switchboard;

/**
 * Receives a stream's events in order on a Switchboard thread. Exactly one of
 * {@link #onComplete} or {@link #onError} is called last. Keep callbacks short: a slow listener
 * holds back the network read (which is the stream's back-pressure).
 */
public interface ChatStreamListener {
  void onEvent(ChatEvent event);

  /** The stream ended normally; {@code response} is the assembled answer. */
  default void onComplete(ChatResponse response) {}

  /** The stream failed; no more events follow. */
  default void onError(SwitchboardException error) {}
}
