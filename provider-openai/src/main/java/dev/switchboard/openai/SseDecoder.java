package dev.switchboard.openai;

import dev.switchboard.ChatEvent;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.spi.ResponseMetadata;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the SSE events of one stream into {@link ChatEvent}s, for {@link OpenAiSseStream}. Not
 * thread-safe: one per stream, fed in wire order. {@link #accept} and {@link #finish} throw
 * {@link dev.switchboard.SwitchboardException}: typed for an error the server sent, PROTOCOL for
 * data that breaks the format or a stream that ends before its terminal event.
 */
public interface SseDecoder {

  /** Decodes one SSE event; {@code eventType} is its {@code event:} name ({@code message} when none was sent). */
  void accept(String eventType, String data, Consumer<? super ChatEvent> sink);

  /** Whether the terminal event was seen: the caller stops reading and calls {@link #finish}. */
  boolean isDone();

  /** Ends the stream after its last byte, emitting what is still pending, and says what was learned. */
  ResponseMetadata finish(Consumer<? super ChatEvent> sink, Optional<String> requestId, Optional<RateLimitInfo> rateLimit);
}
