package dev.switchboard;

import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.state.SharedState;
import dev.switchboard.state.SharedStateFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * The setters of {@link Switchboard.Builder} and the state they set, with its defaults;
 * {@link Assembly} reads it. A switchboard keeps a {@link #copy} so that
 * {@link Switchboard#newBuilder()} starts from it. Package-private: users see these methods as
 * {@code Switchboard.Builder}'s.
 */
abstract class SwitchboardSettings {
  final Map<String, Deployment> deployments = new LinkedHashMap<>();
  final Map<String, ChatProvider> readyMade = new LinkedHashMap<>();
  final Map<String, ModelAlias> aliases = new LinkedHashMap<>();
  /** Deployments and aliases copied from the switchboard a derived builder came from: defining one again replaces it. */
  final Set<String> inherited = new LinkedHashSet<>();
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
  ObservationRegistry observationRegistry;
  int logContentChars;
  Duration streamConsumerTimeout = Duration.ofSeconds(120);
  RoutingPolicy defaultRouting = RoutingPolicy.DEFAULTS;
  CircuitBreakerPolicy defaultCircuitBreaker = CircuitBreakerPolicy.DEFAULTS;
  BulkheadPolicy defaultBulkhead = BulkheadPolicy.UNLIMITED;
  CooldownPolicy cooldown = CooldownPolicy.DEFAULTS;
  RetryBudgetPolicy retryBudget = RetryBudgetPolicy.DEFAULTS;
  SharedState sharedState = SharedState.LOCAL;
  SharedStateFactory sharedStateFactory;
  Map<String, String> sharedStateSettings = Map.of();
  CallListener.Factory callListenerFactory = CallListener.Factory.NONE;
  Random random;
  String configSource;
  /** Set on the builder of {@link Switchboard#newBuilder()}: what the new switchboard shares. */
  SharedResources shared;

  SwitchboardSettings() {}

  /**
   * Names the file (or other source) this configuration was read from, for the header of the
   * {@link dev.switchboard.config.ConfigException} that {@link Switchboard.Builder#build()} may throw;
   * {@link dev.switchboard.config.ConfigLoader} sets it.
   */
  public Switchboard.Builder configSource(String source) {
    this.configSource = Objects.requireNonNull(source, "source == null");
    return self();
  }

  /** Adds a deployment served by the provider factory of its type. */
  public Switchboard.Builder deployment(Deployment deployment) {
    add(Objects.requireNonNull(deployment, "deployment == null"));
    return self();
  }

  /**
   * Adds a deployment served by a ready-made provider (a mock in tests, or a custom provider)
   * instead of its type's factory; its type must be the provider's {@link ChatProvider#type()}.
   */
  public Switchboard.Builder deployment(Deployment deployment, ChatProvider provider) {
    Objects.requireNonNull(provider, "provider == null");
    add(Objects.requireNonNull(deployment, "deployment == null"));
    readyMade.put(deployment.name(), provider);
    return self();
  }

  /** {@link #deployment(Deployment, ChatProvider)} with no region and the default policies. */
  public Switchboard.Builder deployment(String name, ChatProvider provider) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(provider, "provider == null");
    return deployment(Deployment.builder(name, provider.type()).build(), provider);
  }

  private void add(Deployment d) {
    if (deployments.put(d.name(), d) != null && !inherited.remove(d.name())) {
      problems.add("deployment '" + d.name() + "' is defined twice");
    }
    readyMade.remove(d.name());
  }

  public Switchboard.Builder model(ModelAlias alias) {
    Objects.requireNonNull(alias, "alias == null");
    if (aliases.put(alias.name(), alias) != null && !inherited.remove("alias " + alias.name())) {
      problems.add("model alias '" + alias.name() + "' is defined twice");
    }
    return self();
  }

  /** Registers a provider factory explicitly; it wins over one found on the classpath. */
  public Switchboard.Builder providerFactory(ProviderFactory factory) {
    factories.add(Objects.requireNonNull(factory, "factory == null"));
    return self();
  }

  /** Whether to find provider factories with {@link java.util.ServiceLoader} (default true). */
  public Switchboard.Builder scanClasspath(boolean scan) {
    this.scanClasspath = scan;
    return self();
  }

  /** The class loader to scan for provider factories (default: this class's). */
  public Switchboard.Builder classLoader(ClassLoader loader) {
    this.classLoader = Objects.requireNonNull(loader, "loader == null");
    return self();
  }

  public Switchboard.Builder http(HttpSettings http) {
    fixedWhenShared("the HTTP settings");
    this.http = Objects.requireNonNull(http, "http == null");
    return self();
  }

  /**
   * A client to base the shared one on (its TLS, proxy, interceptors and event listener are
   * kept; timeouts, pool and dispatcher come from {@link #http}). Switchboard does not shut
   * it down on close.
   */
  public Switchboard.Builder httpClient(OkHttpClient client) {
    fixedWhenShared("the HTTP client");
    this.httpClient = Objects.requireNonNull(client, "client == null");
    return self();
  }

  /**
   * The time of every call: the clock that timestamps attempts and measures cooldowns, and the
   * scheduler that runs deadlines and backoff, set together so they cannot disagree. Tests pass
   * one {@link dev.switchboard.testing.VirtualTime} as both: {@code time(vt, vt)}. Default: the
   * UTC system clock and a scheduler thread the switchboard owns.
   */
  public Switchboard.Builder time(Clock clock, Scheduler scheduler) {
    fixedWhenShared("the time");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    return self();
  }

  /**
   * A clock of its own with the switchboard's real-time scheduler (a demo that moves time
   * forward). A clock that is also a scheduler, such as {@code VirtualTime}, is refused: pass
   * it as both with {@link #time(Clock, Scheduler)}.
   */
  public Switchboard.Builder time(Clock clock) {
    fixedWhenShared("the time");
    Objects.requireNonNull(clock, "clock == null");
    if (clock instanceof Scheduler) throw new IllegalArgumentException("this clock is a scheduler too: pass it as both, time(c, c)");
    this.clock = clock;
    this.scheduler = null;
    return self();
  }

  /**
   * Whether {@link Switchboard#chat} and {@link Switchboard#embed} hand their HTTP calls to
   * OkHttp's dispatcher and wait interruptibly, so that interrupting the caller cancels the
   * call at once. Off by default: the caller's thread runs the call itself, which saves a
   * thread hand-off per call (about a tenth of a call's CPU on a fast network, and more
   * throughput under many callers) but notices an interrupt only between attempts.
   */
  public Switchboard.Builder interruptibleBlockingCalls(boolean interruptible) {
    this.interruptibleBlockingCalls = interruptible;
    return self();
  }

  /**
   * Records metrics in {@code registry} (see {@link dev.switchboard.metrics.MetricNames}); none
   * are recorded without one. Providers get it too, through their context. Micrometer
   * ({@code io.micrometer:micrometer-core}) is an optional dependency of core: add it to use
   * this method; without it, and without a registry, core never loads a Micrometer class.
   */
  public Switchboard.Builder meterRegistry(MeterRegistry registry) {
    this.meterRegistry = Objects.requireNonNull(registry, "registry == null");
    return self();
  }

  /**
   * Creates a Micrometer {@code Observation} per call, with a child per attempt, in
   * {@code registry} (and so spans, with a tracing bridge); none without one. Needs the
   * optional {@code io.micrometer:micrometer-observation} dependency.
   */
  public Switchboard.Builder observationRegistry(io.micrometer.observation.ObservationRegistry registry) {
    this.observationRegistry = Objects.requireNonNull(registry, "registry == null");
    return self();
  }

  /**
   * Logs prompt and completion text at DEBUG (logger {@code dev.switchboard.content}),
   * truncated to {@code maxChars}. Off by default: prompts and answers may hold personal data.
   */
  public Switchboard.Builder logContent(int maxChars) {
    if (maxChars < 1) throw new IllegalArgumentException("logContent maxChars must be >= 1");
    this.logContentChars = maxChars;
    return self();
  }

  /** How long a stream waits for a consumer that stopped reading before cancelling (default 120 s). */
  public Switchboard.Builder streamConsumerTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("streamConsumerTimeout must be positive");
    this.streamConsumerTimeout = timeout;
    return self();
  }

  /**
   * The routing policy of every alias that has none of its own (default {@link RoutingPolicy#DEFAULTS}).
   * Its {@linkplain dev.switchboard.resilience.Timeouts#call() call timeout} is the default
   * deadline of every call (120 s when unset): a request's own {@link ChatRequest#timeout()}
   * wins, then the call timeout of its alias's own policy ({@link ModelAlias.Builder#routing}), then this one.
   */
  public Switchboard.Builder routing(RoutingPolicy policy) {
    this.defaultRouting = Objects.requireNonNull(policy, "policy == null");
    return self();
  }

  /** The circuit breaker of every target whose deployment sets none (default {@link CircuitBreakerPolicy#DEFAULTS}). */
  public Switchboard.Builder circuitBreaker(CircuitBreakerPolicy policy) {
    this.defaultCircuitBreaker = Objects.requireNonNull(policy, "policy == null");
    return self();
  }

  /** The bulkhead of every target whose deployment sets none (default {@link BulkheadPolicy#UNLIMITED}). */
  public Switchboard.Builder bulkhead(BulkheadPolicy policy) {
    this.defaultBulkhead = Objects.requireNonNull(policy, "policy == null");
    return self();
  }

  /** How long targets are skipped after 429 and quota errors (default {@link CooldownPolicy#DEFAULTS}). */
  public Switchboard.Builder cooldown(CooldownPolicy policy) {
    this.cooldown = Objects.requireNonNull(policy, "policy == null");
    return self();
  }

  /** The budget for retries and hedges across all calls (default {@link RetryBudgetPolicy#DEFAULTS}). */
  public Switchboard.Builder retryBudget(RetryBudgetPolicy policy) {
    this.retryBudget = Objects.requireNonNull(policy, "policy == null");
    return self();
  }

  /** Creates a {@link CallListener} for every call (metrics, tracing); none by default. */
  public Switchboard.Builder callListenerFactory(CallListener.Factory factory) {
    this.callListenerFactory = Objects.requireNonNull(factory, "factory == null");
    return self();
  }

  /**
   * Shares cooldowns and quota use with other instances through {@code state} (for example
   * {@code RedisSharedState} from {@code switchboard-redis}); default {@link SharedState#LOCAL}.
   * The switchboard does not close it.
   */
  public Switchboard.Builder sharedState(SharedState state) {
    fixedWhenShared("the shared state");
    this.sharedState = Objects.requireNonNull(state, "sharedState == null");
    this.sharedStateFactory = null;
    return self();
  }

  /**
   * Shares state through a store that {@code factory} makes from {@code settings} when the
   * switchboard is built, and that the switchboard closes with itself — what a
   * {@code shared-state} section of a YAML file does. Problems are reported by {@link Switchboard.Builder#build()}.
   */
  public Switchboard.Builder sharedState(dev.switchboard.state.SharedStateFactory factory, Map<String, String> settings) {
    fixedWhenShared("the shared state");
    this.sharedStateFactory = Objects.requireNonNull(factory, "factory == null");
    this.sharedStateSettings = Map.copyOf(Objects.requireNonNull(settings, "settings == null"));
    this.sharedState = SharedState.LOCAL;
    return self();
  }

  /**
   * The random source for backoff jitter, weighted choice and least-latency exploration. Pass a
   * seeded {@link Random} in tests; the default is {@link java.util.concurrent.ThreadLocalRandom}.
   */
  public Switchboard.Builder random(Random random) {
    this.random = Objects.requireNonNull(random, "random == null");
    return self();
  }

  /** A derived builder ({@link Switchboard#newBuilder()}) cannot change what it shares. */
  private void fixedWhenShared(String what) {
    if (shared != null) {
      throw new IllegalStateException("a switchboard made by newBuilder() shares " + what
          + " of the one it came from; start from Switchboard.builder() to change it");
    }
  }

  private Switchboard.Builder self() {
    return (Switchboard.Builder) this;
  }

  /** A builder to build on, with every deployment and alias of this one marked as inherited. */
  Switchboard.Builder copy(SharedResources sharedWith) {
    Switchboard.Builder c = new Switchboard.Builder();
    c.deployments.putAll(deployments);
    c.readyMade.putAll(readyMade);
    c.aliases.putAll(aliases);
    c.inherited.addAll(deployments.keySet());
    c.inherited.addAll(aliases.keySet().stream().map(a -> "alias " + a).toList());
    c.factories.addAll(factories);
    c.scanClasspath = scanClasspath;
    c.interruptibleBlockingCalls = interruptibleBlockingCalls;
    c.classLoader = classLoader;
    c.http = http;
    c.httpClient = httpClient;
    c.clock = clock;
    c.scheduler = scheduler;
    c.meterRegistry = meterRegistry;
    c.observationRegistry = observationRegistry;
    c.logContentChars = logContentChars;
    c.streamConsumerTimeout = streamConsumerTimeout;
    c.defaultRouting = defaultRouting;
    c.defaultCircuitBreaker = defaultCircuitBreaker;
    c.defaultBulkhead = defaultBulkhead;
    c.cooldown = cooldown;
    c.retryBudget = retryBudget;
    c.sharedState = sharedState;
    c.sharedStateFactory = sharedStateFactory;
    c.sharedStateSettings = sharedStateSettings;
    c.callListenerFactory = callListenerFactory;
    c.random = random;
    c.configSource = configSource;
    c.shared = sharedWith;
    return c;
  }
}
