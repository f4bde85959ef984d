package dev.switchboard.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.http.SignedRequest;
import dev.switchboard.http.Signer;
import dev.switchboard.http.StreamExchange;
import dev.switchboard.http.UnaryExchange;
import dev.switchboard.http.UrlCache;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Amazon Bedrock deployment: Converse for chat, ConverseStream for streams, InvokeModel for
 * embeddings, over the shared OkHttp client and core's transport ({@link UnaryExchange}, and
 * {@link StreamExchange} through {@link ConverseStreamCall}), with SigV4 or a Bedrock API key
 * added to each attempt by the {@link BedrockSigner}. Never retries: core does.
 */
final class BedrockProvider implements ChatProvider {
  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  static final MediaType JSON = MediaType.get("application/json");
  static final Capabilities CAPABILITIES = new Capabilities(true, true, true, false, true, true, true, false, true);
  private static final Logger LOG = LoggerFactory.getLogger(BedrockProvider.class);

  private final String deployment;
  private final BedrockSettings settings;
  private final ProviderContext context;
  private final ObjectMapper mapper;
  private final BedrockSigner signer;
  private final OkHttpClient client;
  private final UnaryExchange exchange;
  private final ErrorContext errors;
  private final List<Secret> secrets;
  private final ConverseRequestWriter writer;
  private final ConverseResponseReader reader;
  private final EmbeddingCodec embeddings;
  /** Each operation's URL per model id, built once (see {@link UrlCache}). */
  private final UrlCache converseUrls;
  private final UrlCache converseStreamUrls;
  private final UrlCache invokeUrls;

  BedrockProvider(String deployment, BedrockSettings settings, ProviderContext context) {
    this.deployment = deployment;
    this.settings = settings;
    this.context = context;
    this.mapper = context.objectMapper();
    this.client = context.httpClient();
    this.signer = new BedrockSigner(settings, context.clock(), deployment, client.dispatcher().executorService());
    this.exchange = new UnaryExchange(client, context.clock(), context.http(), signer);
    this.errors = new ErrorContext(Bedrock.TYPE, deployment);
    this.secrets = settings.secrets();
    this.writer = new ConverseRequestWriter(mapper, errors);
    this.reader = new ConverseResponseReader(mapper, errors);
    this.embeddings = new EmbeddingCodec(mapper, errors);
    this.converseUrls = operationUrls("converse");
    this.converseStreamUrls = operationUrls("converse-stream");
    this.invokeUrls = operationUrls("invoke");
  }

  private UrlCache operationUrls(String operation) {
    return new UrlCache(modelId -> ModelUrls.operation(settings.endpoint(), modelId, operation, errors));
  }

  @Override
  public String type() {
    return Bedrock.TYPE;
  }

  @Override
  public java.util.Optional<String> serverAddress() {
    return java.util.Optional.of(settings.endpoint().host());
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ProviderCall call) {
    ConverseRequestWriter.Written written;
    HttpUrl url;
    try {
      written = writer.write(call.request(), call.target().model());
      url = converseUrls.get(call.target().model());
    } catch (SwitchboardException e) {
      return CompletableFuture.failedFuture(e);
    }
    LOG.debug("bedrock converse attempt {} on {} ({})", call.attempt(), deployment, call.target().model());
    return send(request(url, written.body(), "application/json"), written.body(), call.timeout(), (response, body, signed) -> {
      ChatResponse parsed = reader.read(body, call.target(), written.outputTool(), response.header("x-amzn-RequestId"));
      return written.warnings().isEmpty() ? parsed : parsed.toBuilder().warnings(written.warnings()).build();
    });
  }

  @Override
  public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
    ConverseRequestWriter.Written written;
    HttpUrl url;
    try {
      written = writer.write(call.request(), call.target().model());
      url = converseStreamUrls.get(call.target().model());
    } catch (SwitchboardException e) {
      listener.onError(e);
      return () -> { };
    }
    LOG.debug("bedrock converse-stream attempt {} on {} ({})", call.attempt(), deployment, call.target().model());
    ConverseStreamCall stream = new ConverseStreamCall(listener, context, errors, secrets, call.target(),
        written.outputTool(), written.warnings());
    // Signed here, once per attempt, as UnaryExchange signs a unary one.
    stream.start(client, Signer.apply(signer, request(url, written.body(), EVENT_STREAM), written.body()));
    return stream::cancel;
  }

  @Override
  public CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    EmbeddingCodec.Family family;
    List<byte[]> bodies;
    HttpUrl url;
    try {
      family = embeddings.family(call.target().model());
      bodies = embeddings.requests(family, call.request());
      url = invokeUrls.get(call.target().model());
    } catch (SwitchboardException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<CompletableFuture<EmbeddingCodec.Parsed>> parts = new ArrayList<>(bodies.size());
    List<String> inputs = call.request().inputs();
    for (int i = 0; i < bodies.size(); i++) {
      int expected = family == EmbeddingCodec.Family.TITAN || family == EmbeddingCodec.Family.TITAN_V2 ? 1
          : Math.min(EmbeddingCodec.COHERE_BATCH, inputs.size() - i * EmbeddingCodec.COHERE_BATCH);
      parts.add(send(request(url, bodies.get(i), "application/json"), bodies.get(i), call.timeout(), (response, body, signed) -> {
        EmbeddingCodec.Parsed parsed = embeddings.parse(family, body.readAll(), expected);
        if (parsed.inputTokens() >= 0) return parsed;
        String header = response.header("X-Amzn-Bedrock-Input-Token-Count");
        int tokens = header == null ? 0 : parseIntOrZero(header);
        return new EmbeddingCodec.Parsed(parsed.vectors(), tokens);
      }));
    }
    CompletableFuture<EmbeddingResponse> result = new CompletableFuture<>();
    CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
      if (failure != null) {
        result.completeExceptionally(unwrap(failure));
        return;
      }
      List<float[]> vectors = new ArrayList<>(inputs.size());
      int tokens = 0;
      for (CompletableFuture<EmbeddingCodec.Parsed> p : parts) {
        vectors.addAll(p.join().vectors());
        tokens += Math.max(0, p.join().inputTokens());
      }
      result.complete(new EmbeddingResponse(vectors, Usage.of(tokens, 0), call.target().model(), call.target(), List.of()));
    });
    // One part failing or the caller giving up cancels every call still running.
    parts.forEach(p -> p.whenComplete((r, e) -> {
      if (e != null) result.completeExceptionally(unwrap(e));
    }));
    result.whenComplete((r, e) -> {
      if (e != null) parts.forEach(p -> p.cancel(true));
    });
    return result;
  }

  private static int parseIntOrZero(String s) {
    try {
      return Math.max(0, Integer.parseInt(s.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Request request(HttpUrl url, byte[] body, String accept) {
    return new Request.Builder()
        .url(url)
        .post(RequestBody.create(body, JSON))
        .header("Content-Type", JSON.toString())
        .header("Accept", accept)
        .build();
  }

  /**
   * Sends one request through the shared {@link UnaryExchange}: a 2xx body goes to
   * {@code onSuccess}, read as it is parsed (for a blocking chat, on the caller's thread) and
   * bounded by the size limit, {@code timeout} and cancellation; anything else becomes the typed
   * error. The exchange has the {@link BedrockSigner} sign {@code body} first.
   */
  private <T> CompletableFuture<T> send(Request request, byte[] body, Duration timeout, UnaryExchange.Reader<T> onSuccess) {
    return exchange.send(request, body, timeout, errors, this::classify, onSuccess);
  }

  private SwitchboardException classify(Response response, byte[] body, SignedRequest signed) {
    return BedrockErrors.fromResponse(response.code(), response.headers(), body, mapper, errors, secrets, context.clock());
  }

  /** A failed part's cause as its typed error. */
  private SwitchboardException unwrap(Throwable failure) {
    return HttpCalls.failure(failure, errors);
  }

  /**
   * Loads what a first Converse call would: the SigV4 signer (a dummy signature with fake
   * credentials, in memory; the configured credentials are not resolved), the request writer and
   * the response reader (a canned body). Sends nothing.
   */
  @Override
  public void warmUp() {
    try {
      signer.warmUp();
      writer.write(ProviderRequest.from(dev.switchboard.ChatRequest.of("warm-up", "warm-up")));
      reader.read(WARM_UP_RESPONSE, new dev.switchboard.TargetRef(deployment, Bedrock.TYPE, "warm-up"), Optional.empty(), "warm-up");
    } catch (RuntimeException e) {
      LOG.debug("bedrock warm-up of {} stopped early: {}", deployment, e.getClass().getSimpleName());
    }
  }

  static final byte[] WARM_UP_RESPONSE = ("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"ok\"}]}},"
      + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2}}")
      .getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @Override
  public void close() {
    signer.close();
  }

  @Override
  public String toString() {
    return "BedrockProvider[" + deployment + ", " + settings + "]";
  }

  Optional<String> region() {
    return Optional.of(settings.region());
  }
}
