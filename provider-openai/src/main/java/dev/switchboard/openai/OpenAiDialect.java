package dev.switchboard.openai;

import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import okhttp3.Headers;

/**
 * What a provider that speaks the OpenAI format changes in reading one response (streamed or
 * not): how a non-2xx status becomes an exception, which extra fields it collects, what its
 * headers add to a failure and to the answer. {@link #of(OpenAiCodec)} is OpenAI's own behaviour;
 * the other methods default to it.
 *
 * <p>One instance serves one response or one stream (it may hold the {@link ExtraFields} it
 * collects into); its methods are called on the thread that reads that response, never
 * concurrently, and must not throw anything but {@link SwitchboardException}.
 */
public interface OpenAiDialect {

  /** OpenAI's behaviour: the codec's error mapping, no extra fields, {@code x-request-id}. */
  static OpenAiDialect of(OpenAiCodec codec) {
    return codec::httpError;
  }

  /** The exception for a non-2xx response; see {@link OpenAiCodec#httpError}. */
  SwitchboardException httpError(int status, Headers headers, byte[] body, ErrorContext context, Collection<Secret> secrets);

  /** The fields the codec should hand over while decoding this response. */
  default ExtraFields extraFields() {
    return ExtraFields.NONE;
  }

  /**
   * {@code error}, raised while reading a response that began as a success (an error event in a
   * stream, an undecodable body, an error object sent with a 2xx status), with what the
   * response's headers add.
   */
  default SwitchboardException refine(SwitchboardException error, Headers headers) {
    return error;
  }

  /** The request id to report for a successful response. */
  default Optional<String> requestId(Headers headers) {
    return Optional.ofNullable(headers.get("x-request-id"));
  }

  /**
   * Typed metadata to add to a successful answer, after the codec's own; called once the body
   * has been read, so it may include what {@link #extraFields()} collected.
   */
  default Map<String, Object> metadata(Headers headers) {
    return Map.of();
  }
}
