package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.Reasoning;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;

/**
 * The OpenAI Chat Completions and embeddings wire format, for any provider that speaks it
 * (OpenAI, Azure OpenAI, OpenAI-compatible servers). It only translates bytes and classifies
 * errors: URLs, headers, authentication and HTTP calls belong to the provider. Thread-safe;
 * create one per provider with the context's {@link ObjectMapper} and {@link Clock}.
 *
 * <p>Every method that fails throws {@link SwitchboardException}: {@link ErrorKind#INVALID_REQUEST}
 * for a request this format cannot carry, {@link ErrorKind#PROTOCOL} for a body that does not
 * follow the format, or the kind an error body names. Exceptions carry the given
 * {@link ErrorContext}; messages never hold request or completion text, and error text from the
 * server is scrubbed of the given secrets.
 *
 * <p>Response metadata keys (shared with {@link OpenAiStreamDecoder}): {@link #SYSTEM_FINGERPRINT},
 * {@link #SERVICE_TIER}. A refusal, streamed or not, is in {@link AssistantMessage#refusal()}
 * (streams send it as {@code ChatEvent.RefusalDelta}s); the {@code reasoning_content} (or
 * {@code reasoning}) text of OpenAI-compatible servers is in {@link AssistantMessage#reasoning()}
 * as one {@link Reasoning} of wire CHAT_COMPLETIONS (streams: {@code ChatEvent.ReasoningDelta}s).
 * Chat Completions requests carry no reasoning: OpenAI's schema has no such field on assistant
 * messages (and DeepSeek rejects it), so reasoning in a replayed conversation is left out with a
 * warning.
 */
public final class OpenAiCodec implements ChatWire {
  public static final String SYSTEM_FINGERPRINT = "openai.system_fingerprint";
  public static final String SERVICE_TIER = "openai.service_tier";

  private final ObjectMapper mapper;
  private final Clock clock;
  private final RequestWriter writer;
  private final WireReader reader;

  public OpenAiCodec(ObjectMapper mapper, Clock clock) {
    this.mapper = Objects.requireNonNull(mapper, "mapper == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.writer = new RequestWriter(mapper);
    this.reader = new WireReader(mapper);
  }

  /** Which request field carries {@code ChatRequest.maxTokens}. */
  public enum MaxTokensField {
    /** {@code max_completion_tokens}: what current OpenAI models expect; reasoning models require it. */
    MAX_COMPLETION_TOKENS("max_completion_tokens"),
    /** {@code max_tokens}: the legacy field many OpenAI-compatible servers still read. */
    MAX_TOKENS("max_tokens");

    private final String wireName;

    MaxTokensField(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** The constant for a wire name, e.g. a deployment setting value. */
    public static Optional<MaxTokensField> ofWireName(String name) {
      for (MaxTokensField f : values()) {
        if (f.wireName.equals(name)) return Optional.of(f);
      }
      return Optional.empty();
    }
  }

  /**
   * How to encode one request: the max-tokens field, whether to stream (then
   * {@code stream_options.include_usage} is sent too), and extra top-level fields copied into
   * the body as they are (the provider's namespace of {@code ChatRequest.providerOptions}). An
   * extra field that the request already sets, or {@code model}, {@code messages},
   * {@code stream}, {@code stream_options}, is rejected as INVALID_REQUEST.
   */
  public record Options(MaxTokensField maxTokensField, boolean stream, Map<String, Object> extraFields) {
    public Options {
      Objects.requireNonNull(maxTokensField, "maxTokensField == null");
      extraFields = Collections.unmodifiableMap(new LinkedHashMap<>(extraFields));
    }

    public static Options of(MaxTokensField maxTokensField) {
      return new Options(maxTokensField, false, Map.of());
    }

    public Options withStream(boolean stream) {
      return new Options(maxTokensField, stream, extraFields);
    }

    public Options withExtraFields(Map<String, Object> extraFields) {
      return new Options(maxTokensField, stream, extraFields);
    }
  }

  /** Decoded embeddings: vectors in input order, usage (output 0), and the model reported. */
  public record Embeddings(List<float[]> vectors, Usage usage, String model) {
    public Embeddings {
      vectors = List.copyOf(vectors);
      Objects.requireNonNull(usage, "usage == null");
      Objects.requireNonNull(model, "model == null");
    }
  }

  /** The request body for {@code POST …/chat/completions}, with {@code model} as given. */
  public byte[] encodeRequest(ProviderRequest request, String model, Options options) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(options, "options == null");
    return writer.chat(request, model, options);
  }

  /**
   * {@link #encodeRequest}, with a warning for each setting Chat Completions has no field for
   * (a reasoning budget or summary, {@code topK}).
   */
  @Override
  public ChatWire.Encoded encode(ProviderRequest request, String model, Options options) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(options, "options == null");
    List<String> warnings = new java.util.ArrayList<>(0);
    byte[] body = writer.chat(request, model, options, warnings);
    return new ChatWire.Encoded(body, warnings);
  }

  /**
   * Decodes a non-streamed response body (HTTP 2xx). Fills message (text, tool calls, refusal),
   * finish reason, usage, model, id, metadata and warnings; the caller adds {@code servedBy},
   * request id and rate limits. A 2xx body holding an {@code error} object is thrown as that
   * error.
   */
  @Override
  public ChatResponse.Builder decodeResponse(byte[] body, ErrorContext context, Collection<Secret> secrets, ExtraFields extras) {
    Wire.Body b;
    try {
      b = reader.readBody(body, extras);
    } catch (IOException e) {
      throw context.error(ErrorKind.PROTOCOL, "response body is not a chat completion (" + e.getClass().getSimpleName() + ")")
          .cause(e).build();
    }
    if (b.error != null) throw OpenAiErrors.streamBuilder(b.error, context, secrets).build();
    Wire.Choice c = b.choice;
    if (c == null) throw context.error(ErrorKind.PROTOCOL, "response has no choice with index 0").build();
    List<ToolCall> calls = new ArrayList<>(c.toolCalls == null ? 0 : c.toolCalls.size());
    if (c.toolCalls != null) {
      for (Wire.ToolCallPart part : c.toolCalls) {
        if (part.name == null || part.name.isEmpty()) {
          throw context.error(ErrorKind.PROTOCOL, "response tool call " + calls.size() + " has no function name").build();
        }
        String id = part.id == null || part.id.isEmpty() ? "call_" + calls.size() : part.id;
        calls.add(new ToolCall(id, part.name, part.arguments == null ? "" : part.arguments));
      }
    }
    String text = c.content == null ? "" : c.content;
    AssistantMessage message = new AssistantMessage(text, calls, Optional.ofNullable(c.refusal).filter(r -> !r.isEmpty()))
        .withReasoning(c.reasoning == null || c.reasoning.isEmpty() ? List.of()
            : List.of(Reasoning.text(Reasoning.Wire.CHAT_COMPLETIONS, c.reasoning)));
    FinishReason reason = c.finishReason != null && !c.finishReason.isEmpty()
        ? Wire.finishReason(c.finishReason)
        : calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    ChatResponse.Builder out = ChatResponse.builder()
        .message(message)
        .finishReason(reason)
        .rawFinishReason(c.finishReason)
        .usage(b.usage == null ? Usage.EMPTY : b.usage.toUsage())
        .model(b.model)
        .id(b.id == null || b.id.isEmpty() ? null : b.id);
    if (b.systemFingerprint != null) out.metadata(SYSTEM_FINGERPRINT, b.systemFingerprint);
    if (b.serviceTier != null) out.metadata(SERVICE_TIER, b.serviceTier).serviceTier(b.serviceTier);
    if (b.choiceCount > 1) out.warning("the response had " + b.choiceCount + " choices; only the one with index 0 is used");
    return out;
  }

  /** A decoder for one stream; see {@link OpenAiStreamDecoder} for its contract. */
  @Override
  public OpenAiStreamDecoder streamDecoder(ErrorContext context, Collection<Secret> secrets, ExtraFields extras) {
    return new OpenAiStreamDecoder(reader, context, secrets, extras);
  }

  /** The request body for {@code POST …/embeddings} ({@code encoding_format: float}). */
  public byte[] encodeEmbeddings(EmbeddingRequest request, String model) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(model, "model == null");
    return writer.embeddings(request, model);
  }

  /**
   * Decodes an embeddings response: {@code data[].embedding} as a float array or as base64 of
   * little-endian float32 (what {@code encoding_format: base64} returns), ordered by
   * {@code index}. The number of vectors must equal {@code expectedCount}.
   */
  public Embeddings decodeEmbeddings(byte[] body, int expectedCount, ErrorContext context) {
    try (JsonParser p = mapper.getFactory().createParser(body)) {
      return EmbeddingsReader.read(p, expectedCount, context);
    } catch (IOException e) {
      throw context.error(ErrorKind.PROTOCOL, "embeddings body is not valid JSON (" + e.getClass().getSimpleName() + ")")
          .cause(e).build();
    }
  }

  /** The error object of an error body; empty when the body is empty, not JSON, or has none. */
  public Optional<OpenAiError> parseError(byte[] body) {
    return reader.parseError(body);
  }

  /**
   * The kind an error means: the code {@code context_length_exceeded} → CONTEXT_LENGTH_EXCEEDED,
   * {@code insufficient_quota} → QUOTA_EXCEEDED, {@code content_filter} → CONTENT_FILTERED, else
   * by HTTP status; with {@code status} 0 (inside a stream) by code and type, SERVER_ERROR when
   * neither says more.
   */
  public static ErrorKind errorKind(int status, Optional<OpenAiError> error) {
    return OpenAiErrors.kind(status, error);
  }

  /**
   * The exception for a non-2xx response: kind from {@link #errorKind}, the server's message
   * (scrubbed) or a short snippet of a body that is empty, HTML or not an error object, the
   * provider code, {@code x-request-id}, Retry-After ({@code retry-after-ms} first) and
   * {@code x-ratelimit-*}.
   */
  public SwitchboardException httpError(int status, Headers headers, byte[] body, ErrorContext context, Collection<Secret> secrets) {
    Optional<OpenAiError> error = parseError(body);
    return httpErrorBuilder(errorKind(status, error), status, headers, body, error, context, secrets).build();
  }

  /** {@link #httpError} with the kind chosen by the caller, as a builder to add to. */
  public SwitchboardException.Builder httpErrorBuilder(
      ErrorKind kind, int status, Headers headers, byte[] body, Optional<OpenAiError> error,
      ErrorContext context, Collection<Secret> secrets) {
    return OpenAiErrors.httpBuilder(kind, status, headers, body, error, context, secrets, clock);
  }
}
