package dev.switchboard.openai;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.Bodies;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.http.RateLimitHeaders;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One {@code openai} deployment: {@code POST {base-url}/chat/completions} (streamed with SSE) and
 * {@code POST {base-url}/embeddings}, against OpenAI or any OpenAI-compatible server (vLLM,
 * Ollama, LM Studio, Groq, Together, ...).
 *
 * <p>Deployment settings (any other key is rejected when the {@code Switchboard} is built):
 * <ul>
 *   <li>{@code base-url} — default {@code https://api.openai.com/v1}; must be https, or http to a
 *       loopback host (or anywhere with {@code http.allowPlainHttp});
 *   <li>secret {@code api-key} — sent as {@code Authorization: Bearer}; optional, since local
 *       OpenAI-compatible servers often need none;
 *   <li>{@code organization}, {@code project} — sent as {@code OpenAI-Organization} /
 *       {@code OpenAI-Project};
 *   <li>{@code max-tokens-field} — {@code max_completion_tokens} (default; reasoning models
 *       reject the other) or {@code max_tokens} (older compatible servers).
 * </ul>
 * {@code ChatRequest.providerOptions("openai")} entries are copied into the request body as
 * top-level fields (e.g. {@code parallel_tool_calls}, {@code reasoning_effort},
 * {@code service_tier}, {@code logit_bias}); one that collides with a field the request sets is
 * rejected as INVALID_REQUEST.
 *
 * <p>Responses carry {@code x-request-id} as request id and the {@code x-ratelimit-*} headers as
 * rate-limit info (errors too, with Retry-After from {@code retry-after-ms} or
 * {@code retry-after}). Metadata keys are listed on {@link OpenAiCodec}. A stream's timeout
 * covers reaching its first event; after that the HTTP read timeout bounds each gap.
 */
public final class OpenAiProvider implements ChatProvider {
  /** The deployment type this provider serves. */
  public static final String TYPE = "openai";

  static final MediaType JSON = MediaType.get("application/json");

  private final String deployment;
  private final OpenAiSettings settings;
  private final ProviderContext context;
  private final OpenAiCodec codec;
  private final ErrorContext errors;
  private final List<Secret> secrets;
  private final HttpUrl chatUrl;
  private final HttpUrl embeddingsUrl;

  OpenAiProvider(String deployment, OpenAiSettings settings, ProviderContext context) {
    this.deployment = deployment;
    this.settings = settings;
    this.context = context;
    this.codec = new OpenAiCodec(context.objectMapper(), context.clock());
    this.errors = new ErrorContext(TYPE, deployment);
    this.secrets = settings.apiKey().map(List::of).orElse(List.of());
    this.chatUrl = settings.baseUrl().newBuilder().addPathSegment("chat").addPathSegment("completions").build();
    this.embeddingsUrl = settings.baseUrl().newBuilder().addPathSegment("embeddings").build();
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public java.util.Optional<String> serverAddress() {
    return java.util.Optional.of(settings.baseUrl().host());
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    ErrorContext ctx = context(call.target().deployment());
    byte[] body;
    try {
      body = codec.encodeRequest(call.request(), call.target().model(), options(call.request(), false));
    } catch (SwitchboardException e) {
      return CompletableFuture.failedFuture(ctx.apply(e.toBuilder()).build());
    }
    return send(chatUrl, body, call.timeout(), ctx, response -> {
      byte[] bytes = Bodies.read(response.body(), context.http().maxResponseBytes(), ctx);
      if (!response.isSuccessful()) throw codec.httpError(response.code(), response.headers(), bytes, ctx, secrets);
      RateLimitInfo limits = RateLimitHeaders.parse(response.headers());
      return codec.decodeResponse(bytes, ctx, secrets, ExtraFields.NONE)
          .servedBy(call.target())
          .requestId(response.header("x-request-id"))
          .rateLimit(limits)
          .build();
    });
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    ErrorContext ctx = context(call.target().deployment());
    byte[] body;
    try {
      body = codec.encodeRequest(call.request(), call.target().model(), options(call.request(), true));
    } catch (SwitchboardException e) {
      listener.onError(ctx.apply(e.toBuilder()).build());
      return () -> { };
    }
    return OpenAiSseStream.start(context, codec, OpenAiDialect.of(codec), ctx,
        CompletableFuture.completedFuture(new SignedRequest(request(chatUrl, body, true), secrets)), call.timeout(), listener);
  }

  @Override
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    ErrorContext ctx = context(call.target().deployment());
    byte[] body = codec.encodeEmbeddings(call.request(), call.target().model());
    int expected = call.request().inputs().size();
    return send(embeddingsUrl, body, call.timeout(), ctx, response -> {
      byte[] bytes = Bodies.read(response.body(), context.http().maxResponseBytes(), ctx);
      if (!response.isSuccessful()) throw codec.httpError(response.code(), response.headers(), bytes, ctx, secrets);
      OpenAiCodec.Embeddings e = codec.decodeEmbeddings(bytes, expected, ctx);
      return new EmbeddingResponse(e.vectors(), e.usage(), e.model().isEmpty() ? call.target().model() : e.model(),
          call.target(), List.of());
    });
  }

  private ErrorContext context(String target) {
    return target.equals(deployment) ? errors : new ErrorContext(TYPE, target);
  }

  private OpenAiCodec.Options options(ChatRequest request, boolean stream) {
    return new OpenAiCodec.Options(settings.maxTokensField(), stream, request.providerOptions(TYPE));
  }

  private Request request(HttpUrl url, byte[] body, boolean stream) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body, JSON))
        .header("Accept", stream ? "text/event-stream" : "application/json");
    settings.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k.reveal()));
    settings.organization().ifPresent(o -> b.header("OpenAI-Organization", o));
    settings.project().ifPresent(p -> b.header("OpenAI-Project", p));
    return b.build();
  }

  /**
   * Sends one non-streamed call and reads the response on OkHttp's callback thread. The returned
   * future completes only with a {@link SwitchboardException}; cancelling it cancels the HTTP
   * call, also while the body is being read.
   */
  private <T> CompletableFuture<T> send(HttpUrl url, byte[] body, Duration timeout, ErrorContext ctx, Function<Response, T> reader) {
    Call httpCall = context.httpClient().newCall(request(url, body, false));
    CompletableFuture<T> result = new CompletableFuture<>();
    HttpCalls.execute(httpCall, timeout, ctx).whenComplete((response, failure) -> {
      if (failure != null) {
        result.completeExceptionally(asSwitchboard(failure, ctx));
        return;
      }
      try (response) {
        if (!result.isDone()) result.complete(reader.apply(response));
      } catch (SwitchboardException e) {
        result.completeExceptionally(e);
      } catch (RuntimeException e) {
        result.completeExceptionally(ctx.error(ErrorKind.PROTOCOL, "could not read the response ("
            + e.getClass().getSimpleName() + ")").cause(e).build());
      }
    });
    result.whenComplete((r, e) -> {
      if (e instanceof CancellationException) httpCall.cancel();
    });
    return result;
  }

  private static SwitchboardException asSwitchboard(Throwable t, ErrorContext ctx) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof SwitchboardException se) return se;
    if (cause instanceof CancellationException) return ctx.error(ErrorKind.CANCELLED, "call cancelled").cause(cause).build();
    return ctx.error(ErrorKind.NETWORK, "call failed (" + cause.getClass().getSimpleName() + ")").cause(cause).build();
  }

  @Override
  public String toString() {
    return "OpenAiProvider[" + deployment + ", " + chatUrl.host() + "]";
  }
}
