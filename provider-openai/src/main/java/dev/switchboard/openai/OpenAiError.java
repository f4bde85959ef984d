package dev.switchboard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The error object of an OpenAI-style error body, {@code {"error":{"message","type","param","code"}}},
 * or of an error sent inside a stream. {@code code} is kept as text even when a server sends a
 * number. {@code details} is the whole {@code error} value, for fields a compatible server adds
 * (Azure's {@code innererror}); it is a text node when the server sent {@code "error": "text"}.
 * The message is the server's, unscrubbed: pass it through {@code HttpErrors.snippet} before it
 * goes into an exception.
 */
public record OpenAiError(
    String message, Optional<String> type, Optional<String> param, Optional<String> code, JsonNode details) {

  public OpenAiError {
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(param, "param == null");
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(details, "details == null");
  }

  /**
   * The code, or else the type. {@code SwitchboardException} keeps the two apart
   * ({@code providerCode()} and {@code providerType()}); this is for callers that want one name.
   */
  public Optional<String> codeOrType() {
    return code.isPresent() ? code : type;
  }
}
