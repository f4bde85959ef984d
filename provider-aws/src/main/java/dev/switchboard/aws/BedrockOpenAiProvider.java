package dev.switchboard.aws;

import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.openai.ChatWire;
import dev.switchboard.openai.OpenAiCalls;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.ResponsesWire;
import dev.switchboard.openai.SignedRequest;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okio.Buffer;

/**
 * A {@code bedrock} deployment with {@code api: openai-chat} or {@code api: responses}: OpenAI
 * Chat Completions bodies sent to {@code {endpoint}/openai/v1/chat/completions} of the Bedrock
 * runtime, or Responses API bodies to {@code {endpoint}/openai/v1/responses}, the model id (plain
 * or an inference profile such as {@code us.…} or {@code global.…}) in the body's {@code model}.
 * The OpenAI codec (or {@link ResponsesWire}) writes and reads the bodies, as for Azure; this
 * class adds Bedrock's URL, its credentials and its error envelope ({@link BedrockOpenAiDialect}).
 * The Converse classes are not used.
 *
 * <p>Authentication is the Converse path's own {@link RequestAuthenticator}, an interceptor on
 * this deployment's client: SigV4 (service {@code bedrock}) signed anew for every attempt with
 * the injected clock, or the Bedrock API key as bearer. The signer here only attaches the body
 * bytes that SigV4 hashes. Embeddings are not served by these endpoints.
 *
 * <p>Streams: Bedrock's runtime serves the Responses API synchronously only. With
 * {@code api: responses} the deployment's capabilities say it cannot stream, so routing skips it
 * for a streamed call (skip reason CAPABILITY, the next target serves) rather than letting the
 * endpoint refuse it after a round trip; a stream asked of the provider directly ends at once with
 * INVALID_REQUEST, nothing sent.
 */
final class BedrockOpenAiProvider implements ChatProvider {
  static final Capabilities CAPABILITIES = new Capabilities(true, true, true, false, true, false, false, false);
  /** {@link #CAPABILITIES} without streaming, for {@code api: responses}. */
  static final Capabilities RESPONSES_CAPABILITIES = new Capabilities(false, true, true, false, true, false, false, false);

  private final String deployment;
  private final BedrockApi api;
  private final BedrockSettings settings;
  private final RequestAuthenticator authenticator;
  private final HttpUrl chatUrl;
  private final ErrorContext errors;
  private final OpenAiCalls calls;

  BedrockOpenAiProvider(String deployment, BedrockSettings settings, ProviderContext context, BedrockApi api) {
    if (api == BedrockApi.CONVERSE) throw new IllegalArgumentException("api converse is served by BedrockProvider");
    this.deployment = deployment;
    this.api = api;
    this.settings = settings;
    this.authenticator = new RequestAuthenticator(settings, context.clock(), deployment);
    OkHttpClient client = context.httpClient().newBuilder().addInterceptor(authenticator).build();
    ProviderContext signing = new ProviderContext(client, context.objectMapper(), context.meterRegistry(), context.clock(),
        context.scheduler(), context.http());
    this.chatUrl = settings.endpoint().newBuilder().addPathSegments(api.path).build();
    this.errors = new ErrorContext(Bedrock.TYPE, deployment);
    OpenAiCodec codec = new OpenAiCodec(context.objectMapper(), context.clock());
    BedrockOpenAiDialect dialect = new BedrockOpenAiDialect(codec, context.objectMapper(), context.clock());
    // Bedrock documents max_completion_tokens for its OpenAI models; max_tokens is the legacy name.
    ChatWire wire = api == BedrockApi.RESPONSES ? new ResponsesWire(context.objectMapper()) : codec;
    this.calls = new OpenAiCalls(signing, codec, wire, Bedrock.TYPE, OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS,
        this::attachPayload, () -> dialect);
  }

  /** Tags the request with its body bytes for the SigV4 payload hash; the interceptor signs it when sent. */
  private CompletableFuture<SignedRequest> attachPayload(Request.Builder builder) {
    Request request = builder.header("Content-Type", BedrockProvider.JSON.toString()).build();
    try (Buffer body = new Buffer()) {
      if (request.body() != null) request.body().writeTo(body);
      return CompletableFuture.completedFuture(new SignedRequest(request.newBuilder()
          .tag(RequestAuthenticator.Payload.class, new RequestAuthenticator.Payload(body.readByteArray())).build(),
          settings.secrets()));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(errors.error(ErrorKind.INVALID_REQUEST, "could not buffer the request body").build());
    }
  }

  private HttpUrl url(String modelId) {
    // The id travels as a JSON string, so any text is safe on the wire; only what cannot name a model is refused.
    if (modelId.isBlank() || modelId.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw errors.error(ErrorKind.INVALID_REQUEST, "model id is blank or holds control characters").build();
    }
    return chatUrl;
  }

  @Override
  public String type() {
    return Bedrock.TYPE;
  }

  @Override
  public Optional<String> serverAddress() {
    return Optional.of(settings.endpoint().host());
  }

  @Override
  public Capabilities capabilities() {
    return api.streams ? CAPABILITIES : RESPONSES_CAPABILITIES;
  }

  /** A credential or signing failure inside the authenticator surfaces as its own AUTHENTICATION error (a {@code TypedIOException}). */
  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    return calls.chat(call, this::url);
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    if (!api.streams) {
      listener.onError(errors.error(ErrorKind.INVALID_REQUEST, "Bedrock's runtime serves the Responses API synchronously"
          + " only: api: responses cannot stream (stream through a target with api: converse or openai-chat)").build());
      return () -> { };
    }
    return calls.stream(call, this::url, listener);
  }

  @Override
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    return CompletableFuture.failedFuture(errors.error(ErrorKind.INVALID_REQUEST,
        "Bedrock's OpenAI-compatible endpoints serve chat only; use api: converse for embeddings").build());
  }

  @Override
  public void close() {
    authenticator.close();
  }

  @Override
  public String toString() {
    return "BedrockOpenAiProvider[" + deployment + ", " + settings + ", api " + api.setting + "]";
  }
}
