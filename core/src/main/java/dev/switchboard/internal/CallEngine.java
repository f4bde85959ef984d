package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.ModelAlias;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Target;
import dev.switchboard.TargetRef;
import dev.switchboard.Usage;
import dev.switchboard.http.CallerRuns;
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.routing.Candidate;
import dev.switchboard.routing.RoutingRequest;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.state.SharedState;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.spi.ProviderRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls for a {@code Switchboard}: resolves the model alias, and hands the call to a
 * {@link CallDriver} that routes it, composed with the {@link UnarySender} or {@link StreamSender}
 * that sends its attempts. Holds what calls share: each target's
 * {@link TargetHealth} (one per deployment and model, across aliases), the retry budget, the
 * clock, scheduler and random source.
 *
 * <p>Order of the decorators around one attempt, outermost first: routing (strategy order,
 * skipping) → circuit breaker → bulkhead → retry/failover/hedging decisions → the provider
 * (which signs and sends once per attempt).
 */
public final class CallEngine {
  private static final Logger log = LoggerFactory.getLogger(CallEngine.class);

  final Clock clock;
  final TimerQueue timers;
  /**
   * Where work handed over from a foreign thread runs (a timer's, a provider callback's): the
   * real-time scheduler's worker threads; null with an injected scheduler (tests' virtual time),
   * where provider outcomes run on the thread that reports them, as the test drives it.
   */
  final java.util.concurrent.Executor worker;
  final Duration defaultTimeout;
  final Duration streamConsumerTimeout;
  final long maxStreamBytes;
  final CooldownPolicy cooldown;
  final RetryBudget budget;
  final CallListener.Factory listenerFactory;
  private final Random random;
  private final Map<String, AliasRoute> routes;
  /** Every target's health, keyed by target; direct targets (no alias) are added on first use. */
  private final Map<TargetRef, TargetHealth> health;
  /** Routes of requests that name a deployment and model directly, made on first use. */
  private final Map<Target, AliasRoute> directRoutes = new ConcurrentHashMap<>();
  private final EngineSettings settings;
  private final SharedState shared;
  /** Calls started and not yet ended, so that {@link #close()} can end them. */
  private final Set<CallDriver> active = ConcurrentHashMap.newKeySet();
  private final Object closeLock = new Object();
  /** Set once by {@link #close()} (under {@code closeLock}, so that only one close aborts the calls); read without it by {@link #track}. */
  private volatile boolean closed;

  public CallEngine(EngineSettings s) {
    this(s, SharedState.LOCAL);
  }

  /** An engine whose targets share cooldowns and quota use through {@code shared}. */
  public CallEngine(EngineSettings s, SharedState shared) {
    this(s, shared, new TargetHealthTable());
  }

  /** An engine that keeps its targets' health in {@code health}, which other engines may share. */
  public CallEngine(EngineSettings s, SharedState shared, TargetHealthTable health) {
    this.health = health.byTarget;
    this.clock = s.clock();
    this.worker = s.scheduler() instanceof SystemScheduler sys ? sys.worker() : null;
    this.timers = new TimerQueue(s.scheduler(), s.clock(), worker);
    this.defaultTimeout = s.defaultTimeout();
    this.streamConsumerTimeout = s.streamConsumerTimeout();
    this.maxStreamBytes = s.maxStreamBytes();
    this.cooldown = s.cooldown();
    this.budget = new RetryBudget(s.retryBudget());
    this.listenerFactory = s.listenerFactory();
    this.random = s.random();
    this.settings = s;
    this.shared = shared;
    Map<String, AliasRoute> r = new HashMap<>();
    for (ModelAlias alias : s.aliases().values()) {
      List<AliasTarget> targets = new ArrayList<>();
      List<Target> sorted = new ArrayList<>(alias.targets());
      sorted.sort(Comparator.comparingInt(Target::priority)); // stable: declaration order among equals
      for (Target t : sorted) targets.add(aliasTarget(targets.size(), t, s.providers().get(t.deployment())));
      r.put(alias.name(), new AliasRoute(alias.name(), s.routing().getOrDefault(alias.name(), s.defaultRouting()), targets));
    }
    this.routes = Map.copyOf(r);
  }

  /** Target {@code t} served by {@code p}, with the health it shares with every alias that names the same target. */
  private AliasTarget aliasTarget(int index, Target t, ChatProvider p) {
    EngineSettings s = settings;
    TargetRef ref = new TargetRef(t.deployment(), p.type(), t.model());
    TargetHealth h = health.computeIfAbsent(ref, k -> new TargetHealth(k,
        s.circuitBreakers().getOrDefault(t.deployment(), s.defaultCircuitBreaker()),
        s.bulkheads().getOrDefault(t.deployment(), s.defaultBulkhead()),
        s.limits().getOrDefault(t.deployment(), TargetLimits.NONE), clock, shared.target(k, clock)));
    Optional<String> region = t.region().isPresent() ? t.region()
        : s.deploymentRegions().getOrDefault(t.deployment(), Optional.empty());
    return new AliasTarget(index, t, ref, region, p, h);
  }

  /** Every target's health now, one entry per target however many aliases share it. */
  public List<dev.switchboard.TargetStatus> targetStatus() {
    long now = clock.millis();
    List<TargetHealth> all = new ArrayList<>(health.values());
    all.sort(Comparator.comparing(h -> h.ref.toString()));
    List<dev.switchboard.TargetStatus> out = new ArrayList<>(all.size());
    for (TargetHealth h : all) out.add(h.status(now));
    return out;
  }

  /** Starts a chat call; {@code callerRuns}, if not null, is the blocking caller that will run its HTTP calls. */
  public CompletableFuture<ChatResponse> chat(ChatRequest request, CallerRuns callerRuns) {
    AliasRoute route = route(request);
    if (closed) return CompletableFuture.failedFuture(closedError(route.name));
    CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    ChatOp op = new ChatOp(request);
    CallDriver call = new CallDriver(this, route, RequestFacts.of(request, false), CallListener.CallInfo.CHAT, request.timeout(),
        callerRuns, driver -> new UnarySender<>(driver, op, result));
    call.start();
    track(call);
    return result;
  }

  /** Starts an embeddings call; {@code callerRuns} as for {@link #chat}. */
  public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request, CallerRuns callerRuns) {
    AliasRoute route = route(request.model());
    if (closed) return CompletableFuture.failedFuture(closedError(route.name));
    CompletableFuture<EmbeddingResponse> result = new CompletableFuture<>();
    EmbedOp op = new EmbedOp(request);
    CallDriver call = new CallDriver(this, route, RequestFacts.of(request), CallListener.CallInfo.EMBEDDINGS, request.timeout(),
        callerRuns, driver -> new UnarySender<>(driver, op, result));
    call.start();
    track(call);
    return result;
  }

  public ChatStream stream(ChatRequest request) {
    AliasRoute route = route(request);
    StreamState state = new StreamState(streamConsumerTimeout);
    if (closed) {
      state.fail(closedError(route.name));
      return new DefaultChatStream(state);
    }
    CallDriver call = new CallDriver(this, route, RequestFacts.of(request, true), CallListener.CallInfo.CHAT, request.timeout(),
        null, driver -> new StreamSender(driver, request, state));
    call.start();
    track(call);
    return new DefaultChatStream(state);
  }

  /**
   * The longest a call to {@code alias} may call: the request's timeout, else the alias's call
   * timeout, else the default. (Blocking callers bound their wait by it.)
   */
  public long callTimeoutMillis(String alias, Optional<Duration> requestTimeout) {
    return callTimeoutMillis(route(alias), requestTimeout);
  }

  /** {@link #callTimeoutMillis(String, Optional)} for a chat request, which may name its target directly. */
  public long callTimeoutMillis(ChatRequest request) {
    return callTimeoutMillis(route(request), request.timeout());
  }

  private long callTimeoutMillis(AliasRoute route, Optional<Duration> requestTimeout) {
    Duration timeout = requestTimeout.isPresent() ? requestTimeout.get() : route.policy.timeouts().call().orElse(defaultTimeout);
    return Math.max(1, timeout.toMillis());
  }

  /**
   * Ends every call still running — waiting out a backoff, on the wire, or streaming — with
   * CANCELLED, and makes calls started from now on fail at once the same way. Runs before the
   * switchboard closes its providers and scheduler, whose timers hold the calls' retries and
   * deadlines: without this, a call waiting for a timer that a closed scheduler dropped would
   * never end.
   */
  public void close() {
    synchronized (closeLock) {
      if (closed) return;
      closed = true;
    }
    for (CallDriver call : List.copyOf(active)) call.closedBySwitchboard();
  }

  /**
   * Lets {@link #close()} reach {@code call}, which has just started. Started first and tracked
   * second, so the abort that a close posts always runs after the call's first step; a close that
   * came in between is seen here, and a call that already ended is not kept.
   *
   * <p>No lock: every call passes here, and with 32 callers one lock was the engine's most
   * contended monitor. The call is added before {@code closed} is read, and {@link #close()} sets
   * {@code closed} before it copies the set (both volatile), so a close either finds the call in
   * the set or is seen here; when both happen the call is aborted twice, which is harmless (the
   * second abort finds it finished).
   */
  private void track(CallDriver call) {
    active.add(call);
    if (closed) {
      active.remove(call);
      call.closedBySwitchboard();
    } else if (!call.tracked()) {
      active.remove(call); // it ended while starting (a provider that answered inline)
    }
  }

  /** Called once by a tracked call when it ends. */
  void untrack(CallDriver call) {
    active.remove(call);
  }

  /** How many calls are running (for tests). */
  int activeCalls() {
    return active.size();
  }

  static dev.switchboard.SwitchboardException closedError(String alias) {
    return dev.switchboard.SwitchboardException.of(dev.switchboard.ErrorKind.CANCELLED,
        "switchboard closed during the call to model alias '" + alias + "'");
  }

  /** The most distinct direct targets one engine keeps routes and health for: {@value}. */
  static final int MAX_DIRECT_TARGETS = 1024;

  /**
   * The request's alias, or for a request naming a target directly a one-target route with the
   * default routing policy (so retries stay on that target, and nothing fails over), sharing the
   * target's health with any alias that names it too.
   */
  private AliasRoute route(ChatRequest request) {
    if (request.target().isEmpty()) return route(request.model());
    Target t = request.target().get();
    AliasRoute known = directRoutes.get(t);
    if (known != null) return known;
    ChatProvider p = settings.providers().get(t.deployment());
    if (p == null) {
      throw new IllegalArgumentException("unknown deployment '" + t.deployment() + "' in the request's target; configured deployments: "
          + new TreeSet<>(settings.providers().keySet()));
    }
    if (directRoutes.size() >= MAX_DIRECT_TARGETS) {
      throw new IllegalArgumentException("more than " + MAX_DIRECT_TARGETS + " distinct direct targets were requested;"
          + " declare a model alias for targets used often");
    }
    return directRoutes.computeIfAbsent(t, k -> new AliasRoute(k.model(), settings.defaultRouting(), List.of(aliasTarget(0, k, p))));
  }

  private AliasRoute route(String name) {
    AliasRoute route = routes.get(name);
    if (route == null) {
      throw new IllegalArgumentException("unknown model alias '" + name + "'; configured aliases: " + new TreeSet<>(routes.keySet()));
    }
    return route;
  }

  RandomGenerator random() {
    return random != null ? random : ThreadLocalRandom.current();
  }

  /** The alias's targets in the order its strategy wants them tried; priority order if the strategy fails. */
  List<Candidate> order(AliasRoute route, RequestFacts facts) {
    var strategy = route.policy.strategy();
    try {
      List<Candidate> order = strategy.order(route.targets, new RoutingRequest(route.name, facts.streaming(),
          facts.estimatedInput(), facts.maxOutput() < 0 ? OptionalInt.empty() : OptionalInt.of(facts.maxOutput()), random()));
      if (order == null) throw new IllegalStateException("returned null");
      return order;
    } catch (RuntimeException e) {
      log.warn("routing strategy {} of model alias '{}' failed; using priority order for this call", strategy.name(), route.name, e);
      return route.targets;
    }
  }

  /** Sends chat attempts. */
  private static final class ChatOp implements UnarySender.Op<ChatResponse> {
    private final ProviderRequest request;

    ChatOp(ChatRequest request) {
      this.request = ProviderRequest.from(request); // once per call, shared by its attempts
    }

    @Override
    public CompletableFuture<ChatResponse> send(AliasTarget target, Duration timeout, int attempt) {
      return target.provider.chat(new ProviderCall(request, target.ref, timeout, attempt));
    }

    @Override
    public ChatResponse finish(ChatResponse value, List<Attempt> trace, List<String> warnings) {
      return Traces.withTrace(value, trace, warnings);
    }

    @Override
    public Optional<RateLimitInfo> rateLimit(ChatResponse value) {
      return value.rateLimit();
    }

    @Override
    public Usage usage(ChatResponse value) {
      return value.usage();
    }

    @Override
    public String model(ChatResponse value) {
      return value.model();
    }

    @Override
    public boolean contentFiltered(ChatResponse value) {
      return value.finishReason() == FinishReason.CONTENT_FILTER;
    }
  }

  /** Sends embedding attempts; skip reasons live in the attempts (embedding responses carry no warnings). */
  private static final class EmbedOp implements UnarySender.Op<EmbeddingResponse> {
    private final EmbeddingRequest request;

    EmbedOp(EmbeddingRequest request) {
      this.request = request;
    }

    @Override
    public CompletableFuture<EmbeddingResponse> send(AliasTarget target, Duration timeout, int attempt) {
      return target.provider.embed(new ProviderEmbeddingCall(request, target.ref, timeout, attempt));
    }

    @Override
    public EmbeddingResponse finish(EmbeddingResponse value, List<Attempt> trace, List<String> warnings) {
      return Traces.withAttempts(value, trace);
    }

    @Override
    public Optional<RateLimitInfo> rateLimit(EmbeddingResponse value) {
      return Optional.empty();
    }

    @Override
    public Usage usage(EmbeddingResponse value) {
      return value.usage();
    }

    @Override
    public String model(EmbeddingResponse value) {
      return value.model();
    }

    @Override
    public boolean contentFiltered(EmbeddingResponse value) {
      return false;
    }
  }
}
