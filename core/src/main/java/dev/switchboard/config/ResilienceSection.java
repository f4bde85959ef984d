package dev.switchboard.config;

import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.resilience.FailoverPolicy;
import dev.switchboard.resilience.HedgingPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.resilience.Timeouts;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.TargetLimits;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The {@code resilience} sections: at the top level (defaults for every alias and deployment),
 * under a model alias (its routing policy, merged field by field over the top level), and the
 * per-deployment {@code circuit-breaker}, {@code bulkhead} and {@code limits}. Key names are the
 * ones the policy types use in their own validation messages.
 */
final class ResilienceSection {
  static final Set<String> ROUTING_KEYS = Set.of("retry", "failover", "timeouts", "hedging", "stream-restart");
  static final Set<String> TOP_KEYS = union(ROUTING_KEYS, Set.of("circuit-breaker", "bulkhead", "cooldown", "retry-budget"));
  private static final Set<String> RETRY_KEYS = Set.of("max-retries", "initial-backoff", "max-backoff", "multiplier",
      "max-retry-after", "retry-on", "min-backoff", "fixed-backoff");
  private static final Set<String> FAILOVER_KEYS = Set.of("failover-on", "content-filtered", "context-length-exceeded",
      "on-content-filter-finish");
  private static final Set<String> TIMEOUT_KEYS = Set.of("call", "attempt", "first-event", "stream-idle", "stream-total");
  private static final Set<String> HEDGING_KEYS = Set.of("enabled", "mode", "delay", "max-hedges");
  private static final Set<String> CIRCUIT_KEYS = Set.of("enabled", "failure-rate-threshold", "window-type",
      "sliding-window-size", "minimum-calls", "wait-in-open", "wait-multiplier", "max-wait-in-open",
      "permitted-calls-in-half-open", "consecutive-failures");
  private static final Set<String> BULKHEAD_KEYS = Set.of("max-concurrent-calls", "when-full", "max-wait");
  private static final Set<String> COOLDOWN_KEYS = Set.of("floor", "max", "quota-exhausted");
  private static final Set<String> BUDGET_KEYS = Set.of("enabled", "ratio", "min-per-second", "window");
  static final Set<String> LIMIT_KEYS = Set.of("requests-per-minute", "tokens-per-minute");

  /** What the top-level section sets as defaults for the alias and deployment sections. */
  record Defaults(RoutingPolicy routing, CircuitBreakerPolicy circuitBreaker, BulkheadPolicy bulkhead) {
    static final Defaults NONE = new Defaults(RoutingPolicy.DEFAULTS, CircuitBreakerPolicy.DEFAULTS, BulkheadPolicy.UNLIMITED);
  }

  private ResilienceSection() {}

  /** Reads the top-level section onto {@code builder} and returns the defaults it sets. */
  static Defaults top(ConfigNode node, Switchboard.Builder builder) {
    if (!node.isObject()) return Defaults.NONE;
    node.checkKeys(TOP_KEYS);
    RoutingPolicy routing = routing(node, RoutingPolicy.DEFAULTS);
    builder.routing(routing);
    CircuitBreakerPolicy cb = node.get("circuit-breaker").map(n -> circuitBreaker(n, CircuitBreakerPolicy.DEFAULTS))
        .orElse(CircuitBreakerPolicy.DEFAULTS);
    builder.circuitBreaker(cb);
    BulkheadPolicy bulkhead = node.get("bulkhead").map(n -> bulkhead(n, BulkheadPolicy.UNLIMITED)).orElse(BulkheadPolicy.UNLIMITED);
    builder.bulkhead(bulkhead);
    node.get("cooldown").ifPresent(n -> builder.cooldown(cooldown(n)));
    node.get("retry-budget").ifPresent(n -> builder.retryBudget(retryBudget(n)));
    return new Defaults(routing, cb, bulkhead);
  }

  /** An alias's {@code resilience} section over {@code base}; circuit breakers and bulkheads are per deployment. */
  static RoutingPolicy alias(ConfigNode node, RoutingPolicy base) {
    if (!node.isObject()) return base;
    for (String perDeployment : List.of("circuit-breaker", "bulkhead")) {
      if (node.node.has(perDeployment)) {
        node.problem(perDeployment + " belongs to a deployment (deployments.<name>." + perDeployment
            + ") or to the top-level resilience section, not to a model alias");
      }
    }
    node.checkKeys(union(ROUTING_KEYS, Set.of("circuit-breaker", "bulkhead")));
    return routing(node, base);
  }

  private static RoutingPolicy routing(ConfigNode node, RoutingPolicy base) {
    RoutingPolicy.Builder b = base.toBuilder();
    node.get("retry").ifPresent(n -> b.retry(retry(n, base.retry())));
    node.get("failover").ifPresent(n -> b.failover(failover(n, base.failover())));
    node.get("timeouts").ifPresent(n -> b.timeouts(timeouts(n, base.timeouts())));
    node.get("hedging").ifPresent(n -> b.hedging(hedging(n, base.hedging())));
    node.get("stream-restart").flatMap(ConfigNode::bool).ifPresent(b::streamRestart);
    return b.build();
  }

  static RetryPolicy retry(ConfigNode n, RetryPolicy base) {
    if (!n.isObject()) return base;
    n.checkKeys(RETRY_KEYS);
    RetryPolicy.Builder b = base.toBuilder();
    n.get("max-retries").flatMap(ConfigNode::integer).ifPresent(b::maxRetries);
    n.get("initial-backoff").flatMap(ConfigNode::duration).ifPresent(b::initialBackoff);
    n.get("max-backoff").flatMap(ConfigNode::duration).ifPresent(b::maxBackoff);
    n.get("multiplier").flatMap(ConfigNode::decimal).ifPresent(b::multiplier);
    n.get("max-retry-after").flatMap(m -> m.text().filter("deadline"::equals).isPresent()
        ? Optional.of(RetryPolicy.UNTIL_DEADLINE) : m.duration()).ifPresent(b::maxRetryAfter);
    n.get("retry-on").flatMap(ResilienceSection::kinds).ifPresent(b::retryOn);
    n.get("min-backoff").flatMap(ConfigNode::duration).ifPresent(b::minBackoff);
    n.get("fixed-backoff").flatMap(ConfigNode::duration).ifPresent(b::fixedBackoff);
    return build(n, b::build, base);
  }

  static FailoverPolicy failover(ConfigNode n, FailoverPolicy base) {
    if (!n.isObject()) return base;
    n.checkKeys(FAILOVER_KEYS);
    FailoverPolicy.Builder b = base.toBuilder();
    n.get("failover-on").flatMap(ResilienceSection::kinds).ifPresent(b::failoverOn);
    n.get("content-filtered").flatMap(ConfigNode::bool).ifPresent(b::contentFiltered);
    n.get("context-length-exceeded").flatMap(ConfigNode::bool).ifPresent(b::contextLengthExceeded);
    n.get("on-content-filter-finish").flatMap(ConfigNode::bool).ifPresent(b::onContentFilterFinish);
    return build(n, b::build, base);
  }

  static Timeouts timeouts(ConfigNode n, Timeouts base) {
    if (!n.isObject()) return base;
    n.checkKeys(TIMEOUT_KEYS);
    Timeouts.Builder b = base.toBuilder();
    n.get("call").flatMap(ConfigNode::duration).ifPresent(b::call);
    n.get("attempt").flatMap(ConfigNode::duration).ifPresent(b::attempt);
    n.get("first-event").flatMap(ConfigNode::duration).ifPresent(b::firstEvent);
    n.get("stream-idle").flatMap(ConfigNode::duration).ifPresent(b::streamIdle);
    n.get("stream-total").flatMap(ConfigNode::duration).ifPresent(b::streamTotal);
    return build(n, b::build, base);
  }

  /** A {@code hedging} section turns hedging on unless it says {@code enabled: false}. */
  static HedgingPolicy hedging(ConfigNode n, HedgingPolicy base) {
    if (!n.isObject()) return base;
    n.checkKeys(HEDGING_KEYS);
    boolean enabled = n.get("enabled").flatMap(ConfigNode::bool).orElse(true);
    HedgingPolicy.Mode mode = n.get("mode").flatMap(m -> choice(m, HedgingPolicy.Mode.class)).orElse(base.mode());
    Duration delay = n.get("delay").flatMap(ConfigNode::duration).orElse(base.delay());
    int maxHedges = n.get("max-hedges").flatMap(ConfigNode::integer).orElse(base.maxHedges());
    return build(n, () -> new HedgingPolicy(enabled, mode, delay, maxHedges), base);
  }

  /** A {@code circuit-breaker} section over {@code base}. */
  static CircuitBreakerPolicy circuitBreaker(ConfigNode n, CircuitBreakerPolicy base) {
    if (!n.isObject()) return base;
    n.checkKeys(CIRCUIT_KEYS);
    CircuitBreakerPolicy.Builder b = base.toBuilder();
    n.get("enabled").flatMap(ConfigNode::bool).ifPresent(b::enabled);
    n.get("failure-rate-threshold").flatMap(ConfigNode::decimal).ifPresent(d -> b.failureRateThreshold(d.floatValue()));
    n.get("window-type").flatMap(m -> choice(m, CircuitBreakerPolicy.WindowType.class)).ifPresent(b::windowType);
    n.get("sliding-window-size").flatMap(ConfigNode::integer).ifPresent(b::slidingWindowSize);
    n.get("minimum-calls").flatMap(ConfigNode::integer).ifPresent(b::minimumCalls);
    n.get("wait-in-open").flatMap(ConfigNode::duration).ifPresent(b::waitInOpen);
    n.get("wait-multiplier").flatMap(ConfigNode::decimal).ifPresent(b::waitMultiplier);
    n.get("max-wait-in-open").flatMap(ConfigNode::duration).ifPresent(b::maxWaitInOpen);
    n.get("permitted-calls-in-half-open").flatMap(ConfigNode::integer).ifPresent(b::permittedCallsInHalfOpen);
    n.get("consecutive-failures").flatMap(ConfigNode::integer).ifPresent(b::consecutiveFailures);
    return build(n, b::build, base);
  }

  /** A {@code bulkhead} section over {@code base}; {@code when-full: wait} needs {@code max-wait}. */
  static BulkheadPolicy bulkhead(ConfigNode n, BulkheadPolicy base) {
    if (!n.isObject()) return base;
    n.checkKeys(BULKHEAD_KEYS);
    int max = n.get("max-concurrent-calls").flatMap(ConfigNode::integer).orElse(base.maxConcurrentCalls());
    BulkheadPolicy.WhenFull whenFull = n.get("when-full").flatMap(m -> choice(m, BulkheadPolicy.WhenFull.class)).orElse(base.whenFull());
    Duration maxWait = n.get("max-wait").flatMap(ConfigNode::duration).orElse(base.maxWait());
    return build(n, () -> new BulkheadPolicy(max, whenFull, maxWait), base);
  }

  static TargetLimits limits(ConfigNode n) {
    if (!n.isObject()) return TargetLimits.NONE;
    n.checkKeys(LIMIT_KEYS);
    OptionalLong rpm = n.get("requests-per-minute").flatMap(ConfigNode::longValue).map(OptionalLong::of).orElse(OptionalLong.empty());
    OptionalLong tpm = n.get("tokens-per-minute").flatMap(ConfigNode::longValue).map(OptionalLong::of).orElse(OptionalLong.empty());
    return build(n, () -> new TargetLimits(rpm, tpm), TargetLimits.NONE);
  }

  private static CooldownPolicy cooldown(ConfigNode n) {
    CooldownPolicy base = CooldownPolicy.DEFAULTS;
    if (!n.isObject()) return base;
    n.checkKeys(COOLDOWN_KEYS);
    Duration floor = n.get("floor").flatMap(ConfigNode::duration).orElse(base.floor());
    Duration max = n.get("max").flatMap(ConfigNode::duration).orElse(base.max());
    Duration quota = n.get("quota-exhausted").flatMap(ConfigNode::duration).orElse(base.quotaExhausted());
    return build(n, () -> new CooldownPolicy(floor, max, quota), base);
  }

  private static RetryBudgetPolicy retryBudget(ConfigNode n) {
    RetryBudgetPolicy base = RetryBudgetPolicy.DEFAULTS;
    if (!n.isObject()) return base;
    n.checkKeys(BUDGET_KEYS);
    boolean enabled = n.get("enabled").flatMap(ConfigNode::bool).orElse(base.enabled());
    double ratio = n.get("ratio").flatMap(ConfigNode::decimal).orElse(base.ratio());
    double minPerSecond = n.get("min-per-second").flatMap(ConfigNode::decimal).orElse(base.minPerSecond());
    Duration window = n.get("window").flatMap(ConfigNode::duration).orElse(base.window());
    return build(n, () -> new RetryBudgetPolicy(enabled, ratio, minPerSecond, window), base);
  }

  /** A list of error kinds, written as {@code rate-limited} or {@code RATE_LIMITED}. */
  static Optional<Set<ErrorKind>> kinds(ConfigNode n) {
    EnumSet<ErrorKind> kinds = EnumSet.noneOf(ErrorKind.class);
    boolean ok = true;
    for (ConfigNode e : n.elements()) {
      Optional<ErrorKind> kind = choice(e, ErrorKind.class);
      if (kind.isPresent()) kinds.add(kind.get());
      else ok = false;
    }
    return ok && n.node.isArray() ? Optional.of(kinds) : Optional.empty();
  }

  /** One of an enum's constants, written in lower case with hyphens; a typo gets the nearest suggested. */
  static <E extends Enum<E>> Optional<E> choice(ConfigNode n, Class<E> type) {
    return n.text().flatMap(t -> {
      String key = t.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(key)) return Optional.of(e);
      }
      List<String> valid = Arrays.stream(type.getEnumConstants()).map(ResilienceSection::configName).toList();
      n.problem("'" + t + "' is not one of " + valid
          + Suggestions.nearest(t, valid).map(s -> "; did you mean '" + s + "'?").orElse(""));
      return Optional.empty();
    });
  }

  static String configName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Builds a policy, turning its validation failure into a problem at {@code n}'s path. */
  private static <T> T build(ConfigNode n, Supplier<T> build, T fallback) {
    try {
      return build.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      n.problem(e.getMessage());
      return fallback;
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }
}
