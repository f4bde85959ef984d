package dev.switchboard;

import dev.switchboard.http.CallerRuns;
import dev.switchboard.internal.CallEngine;
import dev.switchboard.internal.ContentLog;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.state.SharedState;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;

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
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ContentLog contentLog;
  private final boolean interruptibleBlockingCalls;

  Switchboard(OwnedResources owned, ContentLog contentLog, boolean interruptibleBlockingCalls) {
    this.engine = owned.engine();
    this.owned = owned;
    this.contentLog = contentLog;
    this.interruptibleBlockingCalls = interruptibleBlockingCalls;
  }

  public static Builder builder() {
    return new Builder();
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
    return BlockingCalls.run(callerRuns -> chat(request, callerRuns), engine.callTimeoutMillis(request), interruptibleBlockingCalls);
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
        interruptibleBlockingCalls);
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
   * and dispatcher.
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

  /** Builds a {@link Switchboard}; every problem in the configuration is reported at once by {@link #build()}. */
  public static final class Builder {

    final Map<String, Deployment> deployments = new LinkedHashMap<>();
    final Map<String, ChatProvider> readyMade = new LinkedHashMap<>();
    final Map<String, ModelAlias> aliases = new LinkedHashMap<>();
    final List<ProviderFactory> factories = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    boolean scanClasspath = true;
    boolean interruptibleBlockingCalls;
    ClassLoader classLoader;
    HttpSettings http = HttpSettings.DEFAULTS;
    OkHttpClient httpClient;
    Clock clock = Clock.systemUTC();
    Scheduler scheduler;
    MeterRegistry meterRegistry;
    io.micrometer.observation.ObservationRegistry observationRegistry;
    int logContentChars;
    Duration streamConsumerTimeout = Duration.ofSeconds(120);
    RoutingPolicy defaultRouting = RoutingPolicy.DEFAULTS;
    final Map<String, RoutingPolicy> routing = new LinkedHashMap<>();
    CircuitBreakerPolicy defaultCircuitBreaker = CircuitBreakerPolicy.DEFAULTS;
    BulkheadPolicy defaultBulkhead = BulkheadPolicy.UNLIMITED;
    CooldownPolicy cooldown = CooldownPolicy.DEFAULTS;
    RetryBudgetPolicy retryBudget = RetryBudgetPolicy.DEFAULTS;
    SharedState sharedState = SharedState.LOCAL;
    dev.switchboard.state.SharedStateFactory sharedStateFactory;
    Map<String, String> sharedStateSettings = Map.of();
    CallListener.Factory callListenerFactory = CallListener.Factory.NONE;
    Random random;
    String configSource;

    private Builder() {}

    /**
     * Names the file (or other source) this configuration was read from, for the header of the
     * {@link dev.switchboard.config.ConfigException} that {@link #build()} may throw;
     * {@link dev.switchboard.config.ConfigLoader} sets it.
     */
    public Builder configSource(String source) {
      this.configSource = Objects.requireNonNull(source, "source == null");
      return this;
    }

    /** Adds a deployment served by the provider factory of its type. */
    public Builder deployment(Deployment deployment) {
      add(Objects.requireNonNull(deployment, "deployment == null"));
      return this;
    }

    /**
     * Adds a deployment served by a ready-made provider (a mock in tests, or a custom provider)
     * instead of its type's factory; its type must be the provider's {@link ChatProvider#type()}.
     */
    public Builder deployment(Deployment deployment, ChatProvider provider) {
      Objects.requireNonNull(provider, "provider == null");
      add(Objects.requireNonNull(deployment, "deployment == null"));
      readyMade.put(deployment.name(), provider);
      return this;
    }

    /** {@link #deployment(Deployment, ChatProvider)} with no region and the default policies. */
    public Builder deployment(String name, ChatProvider provider) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(provider, "provider == null");
      return deployment(Deployment.builder(name, provider.type()).build(), provider);
    }

    private void add(Deployment deployment) {
      if (deployments.put(deployment.name(), deployment) != null) problems.add("deployment '" + deployment.name() + "' is defined twice");
      readyMade.remove(deployment.name());
    }

    public Builder model(ModelAlias alias) {
      Objects.requireNonNull(alias, "alias == null");
      if (aliases.put(alias.name(), alias) != null) problems.add("model alias '" + alias.name() + "' is defined twice");
      return this;
    }

    /** Registers a provider factory explicitly; it wins over one found on the classpath. */
    public Builder providerFactory(ProviderFactory factory) {
      factories.add(Objects.requireNonNull(factory, "factory == null"));
      return this;
    }

    /** Whether to find provider factories with {@link java.util.ServiceLoader} (default true). */
    public Builder scanClasspath(boolean scan) {
      this.scanClasspath = scan;
      return this;
    }

    /** The class loader to scan for provider factories (default: this class's). */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader == null");
      return this;
    }

    public Builder http(HttpSettings http) {
      this.http = Objects.requireNonNull(http, "http == null");
      return this;
    }

    /**
     * A client to base the shared one on (its TLS, proxy, interceptors and event listener are
     * kept; timeouts, pool and dispatcher come from {@link #http}). Switchboard does not shut
     * it down on close.
     */
    public Builder httpClient(OkHttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /**
     * The time of every call: the clock that timestamps attempts and measures cooldowns, and the
     * scheduler that runs deadlines and backoff, set together so they cannot disagree. Tests pass
     * one {@link dev.switchboard.testing.VirtualTime} as both: {@code time(vt, vt)}. Default: the
     * UTC system clock and a scheduler thread the switchboard owns.
     */
    public Builder time(Clock clock, Scheduler scheduler) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
      return this;
    }

    /**
     * A clock of its own with the switchboard's real-time scheduler (a demo that moves time
     * forward). A clock that is also a scheduler, such as {@code VirtualTime}, is refused: pass
     * it as both with {@link #time(Clock, Scheduler)}.
     */
    public Builder time(Clock clock) {
      Objects.requireNonNull(clock, "clock == null");
      if (clock instanceof Scheduler) throw new IllegalArgumentException("this clock is a scheduler too: pass it as both, time(c, c)");
      this.clock = clock;
      this.scheduler = null;
      return this;
    }

    /**
     * Whether {@link Switchboard#chat} and {@link Switchboard#embed} hand their HTTP calls to
     * OkHttp's dispatcher and wait interruptibly, so that interrupting the caller cancels the
     * call at once. Off by default: the caller's thread runs the call itself, which saves a
     * thread hand-off per call (about a tenth of a call's CPU on a fast network, and more
     * throughput under many callers) but notices an interrupt only between attempts.
     */
    public Builder interruptibleBlockingCalls(boolean interruptible) {
      this.interruptibleBlockingCalls = interruptible;
      return this;
    }

    /**
     * Records metrics in {@code registry} (see {@link dev.switchboard.metrics.MetricNames}); none
     * are recorded without one. Providers get it too, through their context. Micrometer
     * ({@code io.micrometer:micrometer-core}) is an optional dependency of core: add it to use
     * this method; without it, and without a registry, core never loads a Micrometer class.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry == null");
      return this;
    }

    /**
     * Creates a Micrometer {@code Observation} per call, with a child per attempt, in
     * {@code registry} (and so spans, with a tracing bridge); none without one. Needs the
     * optional {@code io.micrometer:micrometer-observation} dependency.
     */
    public Builder observationRegistry(io.micrometer.observation.ObservationRegistry registry) {
      this.observationRegistry = Objects.requireNonNull(registry, "registry == null");
      return this;
    }

    /**
     * Logs prompt and completion text at DEBUG (logger {@code dev.switchboard.content}),
     * truncated to {@code maxChars}. Off by default: prompts and answers may hold personal data.
     */
    public Builder logContent(int maxChars) {
      if (maxChars < 1) throw new IllegalArgumentException("logContent maxChars must be >= 1");
      this.logContentChars = maxChars;
      return this;
    }

    /** How long a stream waits for a consumer that stopped reading before cancelling (default 120 s). */
    public Builder streamConsumerTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("streamConsumerTimeout must be positive");
      this.streamConsumerTimeout = timeout;
      return this;
    }

    /**
     * The routing policy of every alias that has none of its own (default {@link RoutingPolicy#DEFAULTS}).
     * Its {@linkplain dev.switchboard.resilience.Timeouts#call() call timeout} is the default
     * deadline of every call (120 s when unset): a request's own {@link ChatRequest#timeout()}
     * wins, then the call timeout of its alias's policy, then this one.
     */
    public Builder routing(RoutingPolicy policy) {
      this.defaultRouting = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** The routing policy of model alias {@code alias}: strategy, retry, failover, timeouts, hedging. */
    public Builder routing(String alias, RoutingPolicy policy) {
      routing.put(Objects.requireNonNull(alias, "alias == null"), Objects.requireNonNull(policy, "policy == null"));
      return this;
    }

    /** The circuit breaker of every target whose deployment sets none (default {@link CircuitBreakerPolicy#DEFAULTS}). */
    public Builder circuitBreaker(CircuitBreakerPolicy policy) {
      this.defaultCircuitBreaker = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** The bulkhead of every target whose deployment sets none (default {@link BulkheadPolicy#UNLIMITED}). */
    public Builder bulkhead(BulkheadPolicy policy) {
      this.defaultBulkhead = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** How long targets are skipped after 429 and quota errors (default {@link CooldownPolicy#DEFAULTS}). */
    public Builder cooldown(CooldownPolicy policy) {
      this.cooldown = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** The budget for retries and hedges across all calls (default {@link RetryBudgetPolicy#DEFAULTS}). */
    public Builder retryBudget(RetryBudgetPolicy policy) {
      this.retryBudget = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** Creates a {@link CallListener} for every call (metrics, tracing); none by default. */
    public Builder callListenerFactory(CallListener.Factory factory) {
      this.callListenerFactory = Objects.requireNonNull(factory, "factory == null");
      return this;
    }

    /**
     * Shares cooldowns and quota use with other instances through {@code state} (for example
     * {@code RedisSharedState} from {@code switchboard-redis}); default {@link SharedState#LOCAL}.
     * The switchboard does not close it.
     */
    public Builder sharedState(SharedState state) {
      this.sharedState = Objects.requireNonNull(state, "sharedState == null");
      this.sharedStateFactory = null;
      return this;
    }

    /**
     * Shares state through a store that {@code factory} makes from {@code settings} when the
     * switchboard is built, and that the switchboard closes with itself — what a
     * {@code shared-state} section of a YAML file does. Problems are reported by {@link #build()}.
     */
    public Builder sharedState(dev.switchboard.state.SharedStateFactory factory, Map<String, String> settings) {
      this.sharedStateFactory = Objects.requireNonNull(factory, "factory == null");
      this.sharedStateSettings = Map.copyOf(Objects.requireNonNull(settings, "settings == null"));
      this.sharedState = SharedState.LOCAL;
      return this;
    }

    /**
     * The random source for backoff jitter, weighted choice and least-latency exploration. Pass a
     * seeded {@link Random} in tests; the default is {@link java.util.concurrent.ThreadLocalRandom}.
     */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random == null");
      return this;
    }

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
