package dev.switchboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.http.CallerRuns;
import dev.switchboard.http.HttpClients;
import dev.switchboard.http.HttpSettings;
import dev.switchboard.internal.CallEngine;
import dev.switchboard.internal.CompositeCallListener;
import dev.switchboard.internal.ContentLog;
import dev.switchboard.internal.EngineSettings;
import dev.switchboard.internal.Json;
import dev.switchboard.internal.ProviderDiscovery;
import dev.switchboard.internal.SystemScheduler;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.state.SharedState;
import dev.switchboard.spi.ProviderFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);
  /** How long past its deadline a blocking caller waits for a call before giving up on it. */
  static final long AWAIT_GRACE_MILLIS = 30_000;

  private final CallEngine engine;
  private final Map<String, ChatProvider> providers;
  private final OkHttpClient httpClient;
  private final SystemScheduler ownScheduler;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ContentLog contentLog;
  private final boolean interruptibleBlockingCalls;

  /** A shared-state store made from configuration (closed with this switchboard); null otherwise. */
  private volatile SharedState ownedSharedState;

  private Switchboard(CallEngine engine, Map<String, ChatProvider> providers, OkHttpClient httpClient,
      SystemScheduler ownScheduler, ContentLog contentLog, boolean interruptibleBlockingCalls) {
    this.contentLog = contentLog;
    this.interruptibleBlockingCalls = interruptibleBlockingCalls;
    this.engine = engine;
    this.providers = providers;
    this.httpClient = httpClient;
    this.ownScheduler = ownScheduler;
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
    return blocking(callerRuns -> chat(request, callerRuns), engine.callTimeoutMillis(request));
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
    return blocking(callerRuns -> embed(request, callerRuns), engine.callTimeoutMillis(request.model(), request.timeout()));
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

  /**
   * Starts a call for a waiting caller and waits; this thread runs the HTTP call itself (see
   * CallerRuns). The call's own deadline ends it; the wait is bounded besides, by that deadline
   * plus {@link #AWAIT_GRACE_MILLIS}, so that a timer lost to a broken scheduler cannot leave the
   * caller waiting for ever.
   */
  private <T> T blocking(Function<CallerRuns, CompletableFuture<T>> start, long timeoutMillis) {
    if (interruptibleBlockingCalls) return await(start.apply(null), timeoutMillis);
    CallerRuns here = new CallerRuns();
    CompletableFuture<T> f = start.apply(here);
    here.runUntil(f);
    return await(f, timeoutMillis);
  }

  private void checkOpen() {
    if (closed.get()) throw new IllegalStateException("Switchboard is closed");
  }

  private static <T> T await(CompletableFuture<T> future, long timeoutMillis) {
    long waitMillis = timeoutMillis > Long.MAX_VALUE - AWAIT_GRACE_MILLIS ? Long.MAX_VALUE : timeoutMillis + AWAIT_GRACE_MILLIS;
    try {
      return future.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw SwitchboardException.of(ErrorKind.CANCELLED, "interrupted while waiting for the call");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw SwitchboardException.of(ErrorKind.TIMEOUT, "the call did not end within " + waitMillis
          + " ms, its deadline of " + timeoutMillis + " ms plus " + AWAIT_GRACE_MILLIS
          + " ms: its deadline timer never ran (is the scheduler running?); the call was cancelled");
    } catch (CancellationException e) {
      throw SwitchboardException.of(ErrorKind.CANCELLED, "call cancelled");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SwitchboardException se) throw rethrownHere(se);
      throw SwitchboardException.builder(ErrorKind.PROTOCOL, "call failed: " + e.getCause()).cause(e.getCause()).build();
    }
  }

  /**
   * {@code e}, made again on this thread, the way a blocking call must throw it: the call ended
   * on another thread (OkHttp's, the scheduler's), so {@code e}'s stack trace holds no frame of
   * the caller. The copy has the same class and every field of {@code e} (kind, context,
   * attempts, a stream's partial output) with this thread's stack trace, and {@code e} as its
   * cause (printed as a pointer up, see {@link SwitchboardException}, so its text appears once).
   * A subclass that cannot copy itself through {@link SwitchboardException#toBuilder()} is
   * thrown as it is, with the caller's frames added as a suppressed exception.
   */
  static SwitchboardException rethrownHere(SwitchboardException e) {
    SwitchboardException copy = e.toBuilder().cause(e).build();
    if (copy.getClass() == e.getClass()) return copy;
    e.addSuppressed(new RuntimeException("rethrown on thread '" + Thread.currentThread().getName() + "'"));
    return e;
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
    if (!closed.compareAndSet(false, true)) return;
    // First, while providers and timers still work: a call waiting for a timer (a retry delay,
    // its deadline) would otherwise wait for ever once the scheduler drops its pending tasks.
    engine.close();
    for (Map.Entry<String, ChatProvider> e : providers.entrySet()) {
      try {
        e.getValue().close();
      } catch (Exception ex) {
        log.warn("closing provider of deployment {} failed", e.getKey(), ex);
      }
    }
    // The dispatcher and pool are Switchboard's even when the caller gave a client to base the
    // shared one on: HttpClients.configure replaces both, so the caller's own stay untouched.
    httpClient.dispatcher().cancelAll();
    httpClient.dispatcher().executorService().shutdown();
    httpClient.connectionPool().evictAll();
    if (ownScheduler != null) ownScheduler.close();
    SharedState owned = ownedSharedState;
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception ex) {
        log.warn("closing the shared-state store failed", ex);
      }
    }
  }

  /** Builds a {@link Switchboard}; every problem in the configuration is reported at once by {@link #build()}. */
  public static final class Builder {

    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Map<String, ChatProvider> directProviders = new LinkedHashMap<>();
    private final Map<String, ModelAlias> aliases = new LinkedHashMap<>();
    private final List<ProviderFactory> factories = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private boolean scanClasspath = true;
    private boolean interruptibleBlockingCalls;
    private ClassLoader classLoader;
    private HttpSettings http = HttpSettings.DEFAULTS;
    private OkHttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private MeterRegistry meterRegistry;
    private io.micrometer.observation.ObservationRegistry observationRegistry;
    private int logContentChars;
    private Duration defaultTimeout = Duration.ofSeconds(120);
    private Duration streamConsumerTimeout = Duration.ofSeconds(120);
    private RoutingPolicy defaultRouting = RoutingPolicy.DEFAULTS;
    private final Map<String, RoutingPolicy> routing = new LinkedHashMap<>();
    private CircuitBreakerPolicy defaultCircuitBreaker = CircuitBreakerPolicy.DEFAULTS;
    private final Map<String, CircuitBreakerPolicy> circuitBreakers = new LinkedHashMap<>();
    private BulkheadPolicy defaultBulkhead = BulkheadPolicy.UNLIMITED;
    private final Map<String, BulkheadPolicy> bulkheads = new LinkedHashMap<>();
    private final Map<String, TargetLimits> limits = new LinkedHashMap<>();
    private CooldownPolicy cooldown = CooldownPolicy.DEFAULTS;
    private RetryBudgetPolicy retryBudget = RetryBudgetPolicy.DEFAULTS;
    private SharedState sharedState = SharedState.LOCAL;
    private dev.switchboard.state.SharedStateFactory sharedStateFactory;
    private Map<String, String> sharedStateSettings = Map.of();
    private CallListener.Factory callListenerFactory = CallListener.Factory.NONE;
    private Random random;
    private String configSource;

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
      Objects.requireNonNull(deployment, "deployment == null");
      if (deployments.containsKey(deployment.name()) || directProviders.containsKey(deployment.name())) {
        problems.add("deployment '" + deployment.name() + "' is defined twice");
      }
      deployments.put(deployment.name(), deployment);
      return this;
    }

    /** Adds a deployment served by a ready-made provider (a mock in tests, or a custom provider). */
    public Builder deployment(String name, ChatProvider provider) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(provider, "provider == null");
      if (deployments.containsKey(name) || directProviders.containsKey(name)) {
        problems.add("deployment '" + name + "' is defined twice");
      }
      directProviders.put(name, provider);
      return this;
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

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
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

    /** The scheduler for deadlines and backoff; tests pass {@link dev.switchboard.testing.VirtualTime}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
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

    /** The deadline of a call whose request sets none (default 120 s), retries and failover included. */
    public Builder defaultTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("defaultTimeout must be positive");
      this.defaultTimeout = timeout;
      return this;
    }

    /** How long a stream waits for a consumer that stopped reading before cancelling (default 120 s). */
    public Builder streamConsumerTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("streamConsumerTimeout must be positive");
      this.streamConsumerTimeout = timeout;
      return this;
    }

    /** The routing policy of every alias that has none of its own (default {@link RoutingPolicy#DEFAULTS}). */
    public Builder routing(RoutingPolicy policy) {
      this.defaultRouting = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** The routing policy of model alias {@code alias}: strategy, retry, failover, timeouts, hedging. */
    public Builder routing(String alias, RoutingPolicy policy) {
      routing.put(Objects.requireNonNull(alias, "alias == null"), Objects.requireNonNull(policy, "policy == null"));
      return this;
    }

    /** The circuit breaker of every target without its own (default {@link CircuitBreakerPolicy#DEFAULTS}). */
    public Builder circuitBreaker(CircuitBreakerPolicy policy) {
      this.defaultCircuitBreaker = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** The circuit breaker of each target on {@code deployment}. */
    public Builder circuitBreaker(String deployment, CircuitBreakerPolicy policy) {
      circuitBreakers.put(Objects.requireNonNull(deployment, "deployment == null"), Objects.requireNonNull(policy, "policy == null"));
      return this;
    }

    /** The bulkhead of every target without its own (default {@link BulkheadPolicy#UNLIMITED}). */
    public Builder bulkhead(BulkheadPolicy policy) {
      this.defaultBulkhead = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** The bulkhead (concurrency cap) of each target on {@code deployment}. */
    public Builder bulkhead(String deployment, BulkheadPolicy policy) {
      bulkheads.put(Objects.requireNonNull(deployment, "deployment == null"), Objects.requireNonNull(policy, "policy == null"));
      return this;
    }

    /** Rate limits counted locally for each target on {@code deployment} (for providers that send no rate-limit headers). */
    public Builder limits(String deployment, TargetLimits targetLimits) {
      limits.put(Objects.requireNonNull(deployment, "deployment == null"), Objects.requireNonNull(targetLimits, "limits == null"));
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
     * The random source for backoff jitter, weighted choice and least-latency exploration. Pass a
     * seeded {@link Random} in tests; the default is {@link java.util.concurrent.ThreadLocalRandom}.
     */
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

    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random == null");
      return this;
    }

    /** Metrics, tracing and the user's listener, in that order, as one factory. */
    private CallListener.Factory listeners(Map<String, ChatProvider> providers) {
      List<CallListener.Factory> all = new ArrayList<>();
      if (meterRegistry != null) {
        Map<String, String> servers = new LinkedHashMap<>();
        providers.forEach((name, p) -> p.serverAddress().ifPresent(host -> servers.put(name, host)));
        all.add(new dev.switchboard.metrics.MicrometerMetrics(meterRegistry, servers));
      }
      if (observationRegistry != null) all.add(new dev.switchboard.metrics.ObservationTracing(observationRegistry));
      all.add(callListenerFactory);
      return CompositeCallListener.factory(all);
    }

    /**
     * Builds the switchboard: resolves every deployment's provider and checks every alias.
     *
     * @throws dev.switchboard.config.ConfigException (an {@link IllegalArgumentException}) listing
     *     every configuration problem found
     */
    public Switchboard build() {
      List<String> errors = new ArrayList<>(problems);
      if (aliases.isEmpty()) errors.add("no model alias is configured");
      for (ModelAlias alias : aliases.values()) {
        for (Target t : alias.targets()) {
          if (!deployments.containsKey(t.deployment()) && !directProviders.containsKey(t.deployment())) {
            errors.add("model alias '" + alias.name() + "' targets unknown deployment '" + t.deployment() + "'");
          }
        }
      }
      for (String alias : routing.keySet()) {
        if (!aliases.containsKey(alias)) errors.add("routing policy given for unknown model alias '" + alias + "'");
      }
      for (Map<String, ?> perDeployment : List.of(circuitBreakers, bulkheads, limits)) {
        for (String d : perDeployment.keySet()) {
          if (!deployments.containsKey(d) && !directProviders.containsKey(d)) {
            errors.add((perDeployment == circuitBreakers ? "circuit breaker" : perDeployment == bulkheads ? "bulkhead" : "limits")
                + " given for unknown deployment '" + d + "'");
          }
        }
      }
      OkHttpClient client = HttpClients.configure(httpClient == null ? new OkHttpClient.Builder() : httpClient.newBuilder(), http).build();
      SystemScheduler ownScheduler = scheduler == null ? new SystemScheduler() : null;
      Scheduler sched = scheduler != null ? scheduler : ownScheduler;
      ObjectMapper mapper = Json.newMapper();
      // No Micrometer type is touched unless the caller passed a registry: Micrometer is optional.
      ProviderContext context = new ProviderContext(client, mapper, Optional.ofNullable(meterRegistry), clock, sched, http);

      Map<String, ChatProvider> providers = new LinkedHashMap<>(directProviders);
      if (!deployments.isEmpty()) {
        ProviderDiscovery discovery = ProviderDiscovery.discover(
            classLoader != null ? classLoader : Switchboard.class.getClassLoader(), factories, scanClasspath);
        for (Deployment d : deployments.values()) {
          String where = "deployments." + d.name();
          ProviderFactory factory;
          try {
            factory = discovery.resolve(d.type());
          } catch (IllegalArgumentException e) {
            errors.add(where + ".type: " + e.getMessage());
            continue;
          }
          try {
            providers.put(d.name(), factory.create(d, context));
          } catch (dev.switchboard.config.ConfigException e) {
            errors.addAll(e.problems()); // one problem per setting, each with its path
          } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            errors.add(m.startsWith(where + ".") || m.startsWith(where + ":") ? m : where + ": " + m);
          }
        }
      }
      if (sharedStateFactory != null) {
        sharedStateFactory.validate(sharedStateSettings)
            .forEach(p -> errors.add("shared-state " + sharedStateFactory.type() + ": " + p));
      }
      if (!errors.isEmpty()) {
        providers.values().forEach(p -> {
          try {
            p.close();
          } catch (Exception ignored) {
            // already failing; the configuration errors matter more
          }
        });
        if (ownScheduler != null) ownScheduler.close();
        throw new dev.switchboard.config.ConfigException(configSource, errors);
      }
      Map<String, Optional<String>> regions = new LinkedHashMap<>();
      deployments.values().forEach(d -> regions.put(d.name(), d.region()));
      SharedState ownedState = sharedStateFactory == null ? null : sharedStateFactory.create(sharedStateSettings);
      CallEngine engine = new CallEngine(new EngineSettings(providers, aliases, regions, defaultRouting, routing,
          defaultCircuitBreaker, circuitBreakers, defaultBulkhead, bulkheads, limits, cooldown, retryBudget,
          listeners(providers), random, clock, sched, defaultTimeout, streamConsumerTimeout, http.maxStreamBytes()), ownedState != null ? ownedState : sharedState);
      Switchboard sb = new Switchboard(engine, providers, client, ownScheduler,
          logContentChars > 0 ? new ContentLog(logContentChars) : null, interruptibleBlockingCalls);
      sb.ownedSharedState = ownedState;
      dev.switchboard.internal.WarmUp.start(List.copyOf(providers.values()), client.dispatcher().executorService());
      return sb;
    }
  }
}
