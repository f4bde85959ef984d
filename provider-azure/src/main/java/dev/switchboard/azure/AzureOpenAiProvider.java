package dev.switchboard.azure;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.Bodies;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.http.RateLimitHeaders;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.OpenAiSseStream;
import dev.switchboard.openai.SignedRequest;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One {@code azure-openai} deployment. The OpenAI codec writes and reads the bodies; this class
 * adds what Azure changes: the URL form, the credentials, the content-filter fields and Azure's
 * error refinements (see {@link AzureOpenAiProviderFactory} for the settings).
 */
final class AzureOpenAiProvider implements ChatProvider {
  static final MediaType JSON = MediaType.get("application/json");

  private final String deployment;
  private final AzureSettings settings;
  private final ProviderContext context;
  private final OpenAiCodec codec;
  private final OpenAiCodec.MaxTokensField maxTokensField;
  private final AzureUrls urls;
  private final AzureAuth auth;
  private final AzureErrors errors;
  private final ErrorContext errorContext;

  AzureOpenAiProvider(String deployment, AzureSettings settings, OpenAiCodec.MaxTokensField maxTokensField,
      AzureAuth auth, ProviderContext context) {
    this.deployment = deployment;
    this.settings = settings;
    this.context = context;
    this.codec = new OpenAiCodec(context.objectMapper(), context.clock());
    this.maxTokensField = maxTokensField;
    this.urls = new AzureUrls(settings);
    this.auth = auth;
    this.errors = new AzureErrors(codec, settings.quotaThreshold());
    this.errorContext = new ErrorContext(AzureOpenAiProviderFactory.TYPE, deployment);
  }

  @Override
  public String type() {
    return AzureOpenAiProviderFactory.TYPE;
  }

  @Override
  public java.util.Optional<String> serverAddress() {
    return java.util.Optional.of(settings.endpoint().host());
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    ErrorContext ctx = context(call.target().deployment());
    Request.Builder request;
    try {
      request = post(urls.chat(call.target().model()), codec.encodeRequest(call.request(), call.target().model(),
          options(call.request(), false)), false);
    } catch (SwitchboardException e) {
      return CompletableFuture.failedFuture(ctx.apply(e.toBuilder()).build());
    }
    return send(request, call.timeout(), ctx, (response, signed) -> {
      byte[] bytes = Bodies.read(response.body(), context.http().maxResponseBytes(), ctx);
      if (!response.isSuccessful()) throw errors.http(response.code(), response.headers(), bytes, ctx, signed.secrets());
      AzureResponseInfo info = AzureResponseInfo.from(response.headers());
      AzureFilters filters = new AzureFilters();
      ChatResponse.Builder b;
      try {
        b = codec.decodeResponse(bytes, ctx, signed.secrets(), filters);
      } catch (SwitchboardException e) {
        throw AzureErrors.wrap(e, info);
      }
      RateLimitInfo limits = RateLimitHeaders.parse(response.headers());
      b.servedBy(call.target()).rateLimit(limits).requestId(info.bestRequestId().orElse(null));
      filters.metadata().forEach(b::metadata);
      if (!info.isEmpty()) b.metadata(AzureMetadata.RESPONSE_INFO, info);
      return b.build();
    });
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    ErrorContext ctx = context(call.target().deployment());
    Request.Builder request;
    try {
      request = post(urls.chat(call.target().model()), codec.encodeRequest(call.request(), call.target().model(),
          options(call.request(), true)), true);
    } catch (SwitchboardException e) {
      listener.onError(ctx.apply(e.toBuilder()).build());
      return () -> { };
    }
    return OpenAiSseStream.start(context, codec, new AzureDialect(errors), ctx, auth.sign(request), call.timeout(), listener);
  }

  @Override
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    ErrorContext ctx = context(call.target().deployment());
    Request.Builder request;
    try {
      request = post(urls.embeddings(call.target().model()), codec.encodeEmbeddings(call.request(), call.target().model()), false);
    } catch (SwitchboardException e) {
      return CompletableFuture.failedFuture(ctx.apply(e.toBuilder()).build());
    }
    int expected = call.request().inputs().size();
    return send(request, call.timeout(), ctx, (response, signed) -> {
      byte[] bytes = Bodies.read(response.body(), context.http().maxResponseBytes(), ctx);
      if (!response.isSuccessful()) throw errors.http(response.code(), response.headers(), bytes, ctx, signed.secrets());
      OpenAiCodec.Embeddings e;
      try {
        e = codec.decodeEmbeddings(bytes, expected, ctx);
      } catch (SwitchboardException ex) {
        throw AzureErrors.wrap(ex, AzureResponseInfo.from(response.headers()));
      }
      return new EmbeddingResponse(e.vectors(), e.usage(), e.model().isEmpty() ? call.target().model() : e.model(),
          call.target(), List.of());
    });
  }

  private ErrorContext context(String target) {
    return target.equals(deployment) ? errorContext : new ErrorContext(AzureOpenAiProviderFactory.TYPE, target);
  }

  private OpenAiCodec.Options options(ChatRequest request, boolean stream) {
    return new OpenAiCodec.Options(maxTokensField, stream, request.providerOptions(AzureOpenAiProviderFactory.TYPE));
  }

  private static Request.Builder post(HttpUrl url, byte[] body, boolean stream) {
    return new Request.Builder().url(url).post(RequestBody.create(body, JSON))
        .header("Accept", stream ? "text/event-stream" : "application/json");
  }

  /**
   * Signs and sends one non-streamed call and reads the response on OkHttp's callback thread.
   * The returned future completes only with a {@link SwitchboardException}; cancelling it cancels
   * the HTTP call (or drops it before it starts, while a token is being fetched). The time spent
   * fetching a token counts against {@code timeout}.
   */
  private <T> CompletableFuture<T> send(Request.Builder request, Duration timeout, ErrorContext ctx,
      BiFunction<Response, SignedRequest, T> reader) {
    Instant start = context.clock().instant();
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicReference<Call> httpCall = new AtomicReference<>();
    result.whenComplete((r, e) -> {
      Call c = httpCall.get();
      if (e instanceof CancellationException && c != null) c.cancel();
    });
    auth.sign(request).whenComplete((signed, failure) -> {
      if (failure != null) {
        result.completeExceptionally(asSwitchboard(failure, ctx));
        return;
      }
      if (result.isDone()) return;
      Call c = context.httpClient().newCall(signed.request());
      httpCall.set(c);
      if (result.isDone()) {
        c.cancel();
        return;
      }
      Duration left = timeout.minus(Duration.between(start, context.clock().instant()));
      HttpCalls.execute(c, left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left, ctx).whenComplete((response, err) -> {
        if (err != null) {
          result.completeExceptionally(asSwitchboard(err, ctx));
          return;
        }
        try (response) {
          if (!result.isDone()) result.complete(reader.apply(response, signed));
        } catch (SwitchboardException e) {
          result.completeExceptionally(e);
        } catch (RuntimeException e) {
          result.completeExceptionally(ctx.error(ErrorKind.PROTOCOL, "could not read the response ("
              + e.getClass().getSimpleName() + ")").cause(e).build());
        }
      });
    });
    return result;
  }

  private static SwitchboardException asSwitchboard(Throwable t, ErrorContext ctx) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof SwitchboardException se) {
      return se.provider().isPresent() ? se : ctx.apply(se.toBuilder()).build();
    }
    if (cause instanceof CancellationException) return ctx.error(ErrorKind.CANCELLED, "call cancelled").cause(cause).build();
    return ctx.error(ErrorKind.NETWORK, "call failed (" + cause.getClass().getSimpleName() + ")").cause(cause).build();
  }

  @Override
  public String toString() {
    return "AzureOpenAiProvider[" + deployment + ", " + settings.endpoint().host() + ", " + settings.urlStyle().setting()
        + ", auth " + settings.auth().setting + "]";
  }
}
