package dev.switchboard.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.OpenAiDialect;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import okhttp3.Headers;

/**
 * How Bedrock's OpenAI-compatible endpoint differs from OpenAI in reading a response: a failure
 * in Bedrock's own envelope ({@code {"message": …}} with {@code x-amzn-ErrorType}) is classified
 * by {@link BedrockErrors}, as on the Converse path; a body in OpenAI's {@code {"error": {…}}}
 * form without that header goes to the OpenAI codec; the request id is {@code x-amzn-RequestId}.
 */
final class BedrockOpenAiDialect implements OpenAiDialect {
  private final OpenAiCodec codec;
  private final ObjectMapper mapper;
  private final Clock clock;

  BedrockOpenAiDialect(OpenAiCodec codec, ObjectMapper mapper, Clock clock) {
    this.codec = codec;
    this.mapper = mapper;
    this.clock = clock;
  }

  @Override
  public SwitchboardException httpError(int status, Headers headers, byte[] body, ErrorContext context, Collection<Secret> secrets) {
    if (headers.get("x-amzn-ErrorType") == null && codec.parseError(body).isPresent()) {
      return codec.httpError(status, headers, body, context, secrets);
    }
    return BedrockErrors.fromResponse(status, headers, body, mapper, context, List.copyOf(secrets), clock);
  }

  @Override
  public Optional<String> requestId(Headers headers) {
    return Optional.ofNullable(headers.get("x-amzn-RequestId"));
  }
}
