package dev.switchboard.spi;

import dev.switchboard.ChatEvent;
import dev.switchboard.SwitchboardException;

/**
 * Core's side of a streaming attempt. A provider calls {@link #onEvent} for each event in order,
 * then exactly one of {@link #onComplete} or {@link #onError}. Calls come from one thread at a
 * time. {@code onEvent} may block briefly: that is the stream's back-pressure.
 */
public interface ProviderStreamListener {
  void onEvent(ChatEvent event);

  /** The provider saw its end-of-stream marker; {@code metadata} is what it learned on the way. */
  void onComplete(ResponseMetadata metadata);

  void onError(SwitchboardException error);
}
