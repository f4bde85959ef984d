package dev.switchboard;

import dev.switchboard.http.CallerRuns;
import dev.switchboard.internal.CallEngine;
import dev.switchboard.internal.ContentLog;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point: sends chat and embedding requests to model aliases, routed over configured
 * deployments with failover. Build one with {@link #builder()}, share it (it is thread-safe),
 * and {@link #close()} it at shutdown.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder()
 *     .deployment(Deployment.builder("azure-east", "azure-openai").setting("endpoint", "...").secret("api-key", key).build())
 *     .deployment(Deployment.builder("bedrock-west", "bedrock").setting("region", "us-west-2").build())
 *     .model(ModelAlias.builder("chat").target("azure-east", "gpt-4o").target("bedrock-west", "openai.gpt-oss-120b-1:0").build())
 *     .build();
 * ChatResponse r = sb.chat(ChatRequest.of("chat", "Hello"));
 * }</pre>
 */
public final class Switchboard implements AutoCloseable {
  private final CallEngine engine;
  private final OwnedResources owned;
  private final SwitchboardSettings settings;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ContentLog contentLog;

  Switchboard(OwnedResources owned, SwitchboardSettings settings) {
    this.engine = owned.engine();
    this.owned = owned;
    this.settings = settings;
    this.contentLog = settings.logContentChars > 0 ? new ContentLog(settings.logContentChars) : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from this switchboard's configuration and builds a switchboard that
   * shares its HTTP client (connection pool, dispatcher), clock and scheduler, its targets'
   * health (a circuit opened through one is open in the other) and its shared-state store, as
   * OkHttp's {@code newBuilder()} shares a pool. Change listeners, routing, aliases or
   * deployments on it; the HTTP settings, the time and the shared state are fixed by what is
   * shared. Each switchboard's retry budget is its own. Closing a switchboard ends its own calls
   * and providers; what they share is closed when the last of them closes.
   *
   * @throws IllegalStateException when this switchboard is closed
   */
  public Builder newBuilder() {
    checkOpen();
    return settings.copy(owned.shared());
  }

  /**
   * Builds a switchboard from a YAML or JSON file; see {@link dev.switchboard.config.ConfigLoader}
   * for the format. {@code ${VAR}} references are read from the process environment.
   *
   * @throws dev.switchboard.config.ConfigException listing every problem, each with its path
   */
  public static Switchboard fromConfig(java.nio.file.Path file) {
    return buildFromConfig(dev.switchboard.config.ConfigLoader.create().load(file), file.toString());
  }

  /** Like {@link #fromConfig(java.nio.file.Path)}, reading the document from {@code in}. */
  public static Switchboard fromConfig(java.io.InputStream in) {
    return buildFromConfig(dev.switchboard.config.ConfigLoader.create().load(in), null);
  }

  private static Switchboard buildFromConfig(Builder builder, String source) {
    try {
      return builder.build();
    } catch (dev.switchboard.config.ConfigException e) {
      // Provider-level problems (a bad endpoint, an unknown setting) found while building.
      throw new dev.switchboard.config.ConfigException(source, e.problems());
    }
  }

  /**
   * Sends {@code request} and waits for the answer.
   *
   * <p>The HTTP call runs on the calling thread, like OkHttp's {@code Call.execute()}: waiting
   * costs no thread hand-off. Hedges, the deadline and {@link #close()} still reach it, but an
   * interrupt is noticed only between attempts, not while a request is on the wire (blocking
   * socket reads ignore it). To stop a call at once, use {@link #chatAsync} and cancel its
   * future, or build with {@link Builder#interruptibleBlockingCalls(boolean)}.
   *
   * @throws SwitchboardException when every eligible target failed or the deadline passed; it
   *     lists every attempt
   * @throws IllegalArgumentException when the model alias is unknown, or the deployment of a
   *     request's {@linkplain ChatRequest.Builder#target(String, String) direct target}
   */
  public ChatResponse chat(ChatRequest request) {
    checkOpen();
    Objects.requireNonNull(request, "request == null");
    return BlockingCalls.run(callerRuns -> chat(request, callerRuns), engine.callTimeoutMillis(request), settings.interruptibleBlockingCalls);
  }

  /** Sends {@code request} without blocking; cancelling the future cancels the call. */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chat(request, null);
  }

  private CompletableFuture<ChatResponse> chat(ChatRequest request, CallerRuns callerRuns) {
    checkOpen();
    Objects.requireNonNull(request, "request == null");
    if (contentLog == null) return engine.chat(request, callerRuns);
    contentLog.prompt(request);
    CompletableFuture<ChatResponse> f = engine.chat(request, callerRuns);
    f.thenAccept(contentLog::completion);
    return f;
  }

  /** Starts a streamed answer; close the returned stream when done (try-with-resources). */
  public ChatStream stream(ChatRequest request) {
    checkOpen();
    Objects.requireNonNull(request, "request == null");
    if (contentLog == null) return engine.stream(request);
    contentLog.prompt(request);
    ChatStream s = engine.stream(request);
    s.response().thenAccept(contentLog::completion);
    return s;
  }

  /** Computes embeddings and waits for them. */
  public EmbeddingResponse embed(EmbeddingRequest request) {
    checkOpen();
    Objects.requireNonNull(request, "request == null");
    return BlockingCalls.run(callerRuns -> embed(request, callerRuns), engine.callTimeoutMillis(request.model(), request.timeout()),
        settings.interruptibleBlockingCalls);
  }

  /** Computes embeddings without blocking. */
  public CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingRequest request) {
    return embed(request, null);
  }

  private CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request, CallerRuns callerRuns) {
    checkOpen();
    return engine.embed(Objects.requireNonNull(request, "request == null"), callerRuns);
  }

  /**
   * Every target's health now: circuit state, cooldown left, last error kind (sorted by target).
   * A snapshot for health endpoints; routing reads the live state, not this.
   */
  public List<TargetStatus> targets() {
    return engine.targetStatus();
  }

  private void checkOpen() {
    if (closed.get()) throw new IllegalStateException("Switchboard is closed");
  }

  /** See {@link BlockingCalls#rethrownHere}. */
  static SwitchboardException rethrownHere(SwitchboardException e) {
    return BlockingCalls.rethrownHere(e);
  }

  /**
   * Ends every call still running, then closes every provider, closes pooled connections and
   * stops the HTTP dispatcher's threads, and stops the scheduler if Switchboard created it. A
   * client given to {@link Builder#httpClient} is not touched: the shared client has its own pool
   * and dispatcher. What this switchboard shares with others made by {@link #newBuilder()}
   * (the HTTP client, scheduler, shared state, ready-made providers) is closed by the last of
   * them to close.
   *
   * <p>Every running call ends at once with a {@link SwitchboardException} of kind
   * {@link ErrorKind#CANCELLED} ("switchboard closed ..."), whatever it was doing — on the wire,
   * waiting out a retry delay, or streaming: a blocking caller's {@code chat} throws it, an async
   * future completes with it, a stream's listener gets it as its one {@code onError} (a stream
   * that had already delivered events ends with a {@link StreamInterruptedException} of that
   * kind, holding the partial output). A call started after {@code close()} throws
   * {@link IllegalStateException}; one that raced with it ends CANCELLED like the running ones.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) owned.close();
  }

  /**
   * Builds a {@link Switchboard}: deployments (each with its own policies), model aliases (each
   * with its own routing policy), provider discovery, HTTP, time, observability and the default
   * policies; every problem in the configuration is reported at once by {@link #build()}.
   */
  public static final class Builder extends SwitchboardSettings {
    // The setters are written in the package-private SwitchboardSettings, next to the state they set.
    Builder() {}

    /**
     * Builds the switchboard: resolves every deployment's provider and checks every alias.
     *
     * @throws dev.switchboard.config.ConfigException (an {@link IllegalArgumentException}) listing
     *     every configuration problem found
     */
    public Switchboard build() {
      return Assembly.build(this);
    }
  }
}
