package dev.switchboard.openai;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.RateLimitHeaders;
import dev.switchboard.http.Signer;
import dev.switchboard.http.UnaryExchange;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The chat, stream and embeddings calls of a provider that speaks the OpenAI format: encode with
 * the codec, let the provider sign, send with the context's client, read with the codec. The
 * provider supplies only what differs: URLs, a {@link Signer} for its credentials (applied once
 * per attempt: by core's {@link UnaryExchange} for chat and embeddings, here for a stream) and an
 * {@link OpenAiDialect} per call. It follows core's provider contract: no retries or sleeps;
 * futures complete exceptionally only with {@link SwitchboardException} stamped with the
 * provider type and target; cancelling a future cancels its HTTP call (or drops it while the
 * request is still being signed); responses carry {@code servedBy(call.target())}.
 *
 * <p>A call's timeout covers signing too (a token fetch counts against it); a stream's covers
 * reaching its first event (see {@link OpenAiSseStream}). Thread-safe.
 */
public final class OpenAiCalls {
  private static final MediaType JSON = MediaType.get("application/json");

  private final ProviderContext context;
  private final OpenAiCodec codec;
  private final ChatWire wire;
  private final String type;
  private final OpenAiCodec.MaxTokensField maxTokensField;
  private final Signer signer;
  private final Supplier<OpenAiDialect> dialects;
  private final UnaryExchange exchange;

  /**
   * Calls for provider {@code type} (which names errors and the {@code providerOptions}
   * namespace copied into request bodies); {@code dialects} gives one dialect per call.
   */
  public OpenAiCalls(ProviderContext context, OpenAiCodec codec, String type, OpenAiCodec.MaxTokensField maxTokensField,
      Signer signer, Supplier<OpenAiDialect> dialects) {
    this(context, codec, codec, type, maxTokensField, signer, dialects);
  }

  /**
   * As above, with chat and stream bodies in {@code wire}'s format (the Responses API, say);
   * {@code codec} still writes and reads embeddings and classifies error bodies.
   */
  public OpenAiCalls(ProviderContext context, OpenAiCodec codec, ChatWire wire, String type,
      OpenAiCodec.MaxTokensField maxTokensField, Signer signer, Supplier<OpenAiDialect> dialects) {
    this.context = Objects.requireNonNull(context, "context == null");
    this.codec = Objects.requireNonNull(codec, "codec == null");
    this.wire = Objects.requireNonNull(wire, "wire == null");
    this.type = Objects.requireNonNull(type, "type == null");
    this.maxTokensField = Objects.requireNonNull(maxTokensField, "maxTokensField == null");
    this.signer = Objects.requireNonNull(signer, "signer == null");
    this.dialects = Objects.requireNonNull(dialects, "dialects == null");
    this.exchange = new UnaryExchange(context.httpClient(), context.clock(), context.http(), signer);
  }

  /**
   * Encodes a small chat request and, for Chat Completions, decodes a canned answer, so the
   * codec's classes and Jackson's writers and readers are loaded before the first call. In
   * memory only; nothing is signed or sent. Failures are dropped (warm-up is best effort).
   */
  public void warmUp() {
    try {
      warmUpOrThrow();
    } catch (RuntimeException e) {
      // best effort: the first real call will load whatever this did not
    }
  }

  /** {@link #warmUp}, letting a failure through (for tests: the canned bodies must stay valid). */
  ChatResponse warmUpOrThrow() {
    wire.encode(ProviderRequest.from(ChatRequest.of("warm-up", "warm-up")), "warm-up", OpenAiCodec.Options.of(maxTokensField));
    if (wire != codec) return null;
    ErrorContext ctx = new ErrorContext(type, "warm-up");
    return wire.decodeResponse(WARM_UP_RESPONSE, ctx, List.of(), dialects.get().extraFields())
        .servedBy(new TargetRef("warm-up", type, "warm-up")).build();
  }

  static final byte[] WARM_UP_RESPONSE = ("{\"id\":\"warm-up\",\"object\":\"chat.completion\",\"model\":\"warm-up\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}").getBytes(StandardCharsets.UTF_8);

  /**
   * {@code POST} of the chat request to {@code url} of the target's model; the answer read by a
   * fresh dialect. {@code url} may throw {@link SwitchboardException} for a model name that
   * cannot be sent, which fails the call like a request the codec cannot encode.
   */
  public CompletableFuture<ChatResponse> chat(ProviderCall call, Function<String, HttpUrl> url) {
    ErrorContext ctx = new ErrorContext(type, call.target().deployment());
    Request request;
    ChatWire.Encoded encoded;
    try {
      encoded = wire.encode(call.request(), call.target().model(), options(call, false));
      request = post(url.apply(call.target().model()), encoded.body(), false);
    } catch (SwitchboardException e) {
      return CompletableFuture.failedFuture(ctx.apply(e.toBuilder()).build());
    }
    OpenAiDialect dialect = dialects.get();
    return exchange.send(request, encoded.body(), call.timeout(), ctx, errors(dialect, ctx), (response, body, signed) -> {
      byte[] bytes = body.readAll();
      ChatResponse.Builder b;
      try {
        b = wire.decodeResponse(bytes, ctx, signed.secrets(), dialect.extraFields());
      } catch (SwitchboardException e) {
        throw dialect.refine(e, response.headers());
      }
      b.servedBy(call.target()).rateLimit(RateLimitHeaders.parse(response.headers()))
          .requestId(dialect.requestId(response.headers()).orElse(null));
      dialect.metadata(response.headers()).forEach(b::metadata);
      encoded.warnings().forEach(b::warning);
      return b.build();
    });
  }

  /** {@link #chat}, streamed: see {@link OpenAiSseStream}. A request that cannot be sent ends the stream at once. */
  public StreamHandle stream(ProviderCall call, Function<String, HttpUrl> url, ProviderStreamListener listener) {
    ErrorContext ctx = new ErrorContext(type, call.target().deployment());
    Request request;
    ChatWire.Encoded encoded;
    try {
      encoded = wire.encode(call.request(), call.target().model(), options(call, true));
      request = post(url.apply(call.target().model()), encoded.body(), true);
    } catch (SwitchboardException e) {
      listener.onError(ctx.apply(e.toBuilder()).build());
      return () -> { };
    }
    // Signed here, once per attempt, as UnaryExchange signs a unary one.
    return OpenAiSseStream.start(context, codec, wire, encoded.warnings(), dialects.get(), ctx,
        Signer.apply(signer, request, encoded.body()), listener);
  }

  /** {@code POST} of the embeddings request, as {@link #chat}; the model reported, else the target's. */
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call, Function<String, HttpUrl> url) {
    ErrorContext ctx = new ErrorContext(type, call.target().deployment());
    Request request;
    byte[] encoded;
    try {
      encoded = codec.encodeEmbeddings(call.request(), call.target().model());
      request = post(url.apply(call.target().model()), encoded, false);
    } catch (SwitchboardException e) {
      return CompletableFuture.failedFuture(ctx.apply(e.toBuilder()).build());
    }
    int expected = call.request().inputs().size();
    OpenAiDialect dialect = dialects.get();
    return exchange.send(request, encoded, call.timeout(), ctx, errors(dialect, ctx), (response, body, signed) -> {
      byte[] bytes = body.readAll();
      OpenAiCodec.Embeddings e;
      try {
        e = codec.decodeEmbeddings(bytes, expected, ctx);
      } catch (SwitchboardException ex) {
        throw dialect.refine(ex, response.headers());
      }
      return new EmbeddingResponse(e.vectors(), e.usage(), e.model().isEmpty() ? call.target().model() : e.model(),
          call.target(), List.of());
    });
  }

  private OpenAiCodec.Options options(ProviderCall call, boolean stream) {
    return new OpenAiCodec.Options(maxTokensField, stream, call.request().providerOptions(type));
  }

  private static Request post(HttpUrl url, byte[] body, boolean stream) {
    return new Request.Builder().url(url).post(RequestBody.create(body, JSON))
        .header("Accept", stream ? "text/event-stream" : "application/json").build();
  }

  private static UnaryExchange.ErrorClassifier errors(OpenAiDialect dialect, ErrorContext ctx) {
    return (response, body, signed) -> dialect.httpError(response.code(), response.headers(), body, ctx, signed.secrets());
  }
}
