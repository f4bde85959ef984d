package dev.switchboard.aws;

import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.openai.ChatWire;
import dev.switchboard.openai.OpenAiCalls;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.ResponsesWire;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;

/**
 * A {@code bedrock} deployment with {@code api: openai-chat} or {@code api: responses}: OpenAI
 * Chat Completions bodies sent to {@code {endpoint}/openai/v1/chat/completions} of the Bedrock
 * runtime, or Responses API bodies to {@code {endpoint}/openai/v1/responses}, the model id (plain
 * or an inference profile such as {@code us.…} or {@code global.…}) in the body's {@code model}.
 * The OpenAI codec (or {@link ResponsesWire}) writes and reads the bodies, as for Azure; this
 * class adds Bedrock's URL, its credentials and its error envelope ({@link BedrockOpenAiDialect}).
 * The Converse classes are not used.
 *
 * <p>Authentication is the Converse path's own {@link BedrockSigner}, the {@code Signer} that
 * {@link OpenAiCalls} applies to every attempt as OpenAI's and Azure's are: SigV4 (service
 * {@code bedrock}) over the body bytes, signed anew with the injected clock, or the Bedrock API
 * key as bearer. Embeddings are not served by these endpoints.
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
  private final BedrockSigner signer;
  private final HttpUrl chatUrl;
  private final ErrorContext errors;
  private final OpenAiCalls calls;

  BedrockOpenAiProvider(String deployment, BedrockSettings settings, ProviderContext context, BedrockApi api) {
    if (api == BedrockApi.CONVERSE) throw new IllegalArgumentException("api converse is served by BedrockProvider");
    this.deployment = deployment;
    this.api = api;
    this.settings = settings;
    this.signer = new BedrockSigner(settings, context.clock(), deployment, context.httpClient().dispatcher().executorService());
    this.chatUrl = settings.endpoint().newBuilder().addPathSegments(api.path).build();
    this.errors = new ErrorContext(Bedrock.TYPE, deployment);
    OpenAiCodec codec = new OpenAiCodec(context.objectMapper(), context.clock());
    BedrockOpenAiDialect dialect = new BedrockOpenAiDialect(codec, context.objectMapper(), context.clock());
    // Bedrock documents max_completion_tokens for its OpenAI models; max_tokens is the legacy name.
    ChatWire wire = api == BedrockApi.RESPONSES ? new ResponsesWire(context.objectMapper()) : codec;
    this.calls = new OpenAiCalls(context, codec, wire, Bedrock.TYPE, OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS,
        signer, () -> dialect);
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

  /** A credential or signing failure surfaces as its own AUTHENTICATION error, nothing sent. */
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
    signer.close();
  }

  @Override
  public String toString() {
    return "BedrockOpenAiProvider[" + deployment + ", " + settings + ", api " + api.setting + "]";
  }
}
