package dev.switchboard.azure;

import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.openai.ChatWire;
import dev.switchboard.openai.OpenAiApi;
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

/**
 * One {@code azure-openai} deployment. The OpenAI codec writes and reads the bodies; this class
 * adds what Azure changes: the URL form, the credentials, the content-filter fields and Azure's
 * error refinements (see {@link AzureOpenAiProviderFactory} for the settings).
 */
final class AzureOpenAiProvider implements ChatProvider {
  private final String deployment;
  private final AzureSettings settings;
  private final AzureUrls urls;
  private final OpenAiCalls calls;
  private final boolean responses;

  AzureOpenAiProvider(String deployment, AzureSettings settings, OpenAiCodec.MaxTokensField maxTokensField,
      AzureAuth auth, ProviderContext context) {
    this.deployment = deployment;
    this.settings = settings;
    this.urls = new AzureUrls(settings);
    OpenAiCodec codec = new OpenAiCodec(context.objectMapper(), context.clock());
    AzureErrors errors = new AzureErrors(codec, settings.quotaThreshold());
    // A dialect per call: it collects that response's content-filter fields.
    this.responses = settings.api() == OpenAiApi.RESPONSES;
    ChatWire wire = responses ? new ResponsesWire(context.objectMapper()) : codec;
    this.calls = new OpenAiCalls(context, codec, wire, AzureOpenAiProviderFactory.TYPE, maxTokensField, auth,
        () -> new AzureDialect(errors));
  }

  @Override
  public String type() {
    return AzureOpenAiProviderFactory.TYPE;
  }

  @Override
  public Optional<String> serverAddress() {
    return Optional.of(settings.endpoint().host());
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL.withVideo(false);
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    return calls.chat(call, responses ? urls::responses : urls::chat);
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    return calls.stream(call, responses ? urls::responses : urls::chat, listener);
  }

  @Override
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    return calls.embed(call, urls::embeddings);
  }

  /** Loads the OpenAI codec's classes and Jackson's writer and reader in memory; no token is fetched, nothing sent. */
  @Override
  public void warmUp() {
    calls.warmUp();
  }

  @Override
  public String toString() {
    return "AzureOpenAiProvider[" + deployment + ", " + settings.endpoint().host() + ", " + settings.urlStyle().setting()
        + ", auth " + settings.auth().setting + (responses ? ", api responses" : "") + "]";
  }
}
