package dev.switchboard.openai;

import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.Secret;
import dev.switchboard.http.SignedRequest;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.Request;

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
 *       reject the other) or {@code max_tokens} (older compatible servers);
 *   <li>{@code api} — {@code chat-completions} (default) or {@code responses}: chat and streams
 *       then go to {@code POST {base-url}/responses} in the Responses API's format (see
 *       {@link ResponsesWire} for what maps, what is dropped and what is refused);
 *       {@code max-tokens-field} does not apply there.
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

  private final String deployment;
  private final OpenAiSettings settings;
  private final List<Secret> secrets;
  private final HttpUrl chatUrl;
  private final HttpUrl embeddingsUrl;
  private final OpenAiCalls calls;

  OpenAiProvider(String deployment, OpenAiSettings settings, ProviderContext context) {
    this.deployment = deployment;
    this.settings = settings;
    this.secrets = settings.apiKey().map(List::of).orElse(List.of());
    this.chatUrl = settings.api() == OpenAiApi.RESPONSES
        ? settings.baseUrl().newBuilder().addPathSegment("responses").build()
        : settings.baseUrl().newBuilder().addPathSegment("chat").addPathSegment("completions").build();
    this.embeddingsUrl = settings.baseUrl().newBuilder().addPathSegment("embeddings").build();
    OpenAiCodec codec = new OpenAiCodec(context.objectMapper(), context.clock());
    OpenAiDialect dialect = OpenAiDialect.of(codec);
    ChatWire wire = settings.api() == OpenAiApi.RESPONSES ? new ResponsesWire(context.objectMapper()) : codec;
    this.calls = new OpenAiCalls(context, codec, wire, TYPE, settings.maxTokensField(), this::sign, () -> dialect);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<String> serverAddress() {
    return Optional.of(settings.baseUrl().host());
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL.withVideo(false);
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    return calls.chat(call, model -> chatUrl);
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    return calls.stream(call, model -> chatUrl, listener);
  }

  @Override
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    return calls.embed(call, model -> embeddingsUrl);
  }

  /** Loads the codec's classes and Jackson's writer and reader in memory; sends nothing. */
  @Override
  public void warmUp() {
    calls.warmUp();
  }

  /** For tests: the warm-up with its failures let through. */
  ChatResponse warmUpOrThrow() {
    return calls.warmUpOrThrow();
  }

  /** The key and the organization and project headers; nothing to fetch, so already complete. */
  private CompletableFuture<SignedRequest> sign(Request request, byte[] body) {
    Request.Builder b = request.newBuilder();
    settings.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k.reveal()));
    settings.organization().ifPresent(o -> b.header("OpenAI-Organization", o));
    settings.project().ifPresent(p -> b.header("OpenAI-Project", p));
    return CompletableFuture.completedFuture(new SignedRequest(b.build(), secrets));
  }

  @Override
  public String toString() {
    return "OpenAiProvider[" + deployment + ", " + chatUrl.host() + "]";
  }
}
