package dev.switchboard.openai;

import dev.switchboard.ChatResponse;
import dev.switchboard.Secret;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One OpenAI chat wire format, as {@link OpenAiCalls} drives it: Chat Completions
 * ({@link OpenAiCodec}) or the Responses API ({@link ResponsesWire}).
 * It translates bytes only; URLs, headers, credentials and non-2xx statuses stay with the provider
 * and its {@link OpenAiDialect}. Implementations are thread-safe and throw only
 * {@link dev.switchboard.SwitchboardException} (INVALID_REQUEST for a request the format cannot
 * carry, PROTOCOL for a body that breaks it, or the kind an error object names).
 */
public interface ChatWire {

  /** A request body and what the format could not carry but dropped instead of refusing. */
  record Encoded(byte[] body, List<String> warnings) {
    public Encoded {
      Objects.requireNonNull(body, "body == null");
      warnings = List.copyOf(warnings);
    }
  }

  /** The request body for {@code model}; {@code options} says whether it streams and carries extra fields. */
  Encoded encode(ProviderRequest request, String model, OpenAiCodec.Options options);

  /** Decodes a 2xx body; the caller adds {@code servedBy}, request id and rate limits. */
  ChatResponse.Builder decodeResponse(byte[] body, ErrorContext context, Collection<Secret> secrets, ExtraFields extras);

  /** A decoder for one stream's SSE events. */
  SseDecoder streamDecoder(ErrorContext context, Collection<Secret> secrets, ExtraFields extras);
}
