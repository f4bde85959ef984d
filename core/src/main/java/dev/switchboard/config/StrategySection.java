package dev.switchboard.config;

import dev.switchboard.routing.RoutingStrategy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model alias's {@code strategy}: a name ({@code strategy: round-robin}) or a mapping with the
 * name under {@code type} and the strategy's parameters ({@code strategy: {type: least-latency,
 * exploration: 0.1}}). Each alias gets its own instance, as stateful strategies require.
 */
final class StrategySection {
  /** Every strategy name and the parameters it takes. */
  static final Map<String, Set<String>> STRATEGIES = Map.of(
      "priority", Set.of(),
      "weighted", Set.of(),
      "round-robin", Set.of(),
      "least-latency", Set.of("exploration"),
      "least-in-flight", Set.of(),
      "lowest-cost", Set.of("assumed-output-tokens"),
      "quota-aware", Set.of(),
      "region-affinity", Set.of("region", "then"));

  private StrategySection() {}

  static Optional<RoutingStrategy> strategy(ConfigNode n) {
    Optional<String> name;
    if (n.node.isObject()) {
      name = n.get("type").flatMap(ConfigNode::text);
      if (n.get("type").isEmpty()) n.problem("missing 'type' (one of " + List.copyOf(new java.util.TreeSet<>(STRATEGIES.keySet())) + ")");
    } else {
      name = n.text();
    }
    if (name.isEmpty()) return Optional.empty();
    String type = name.get().trim();
    Set<String> parameters = STRATEGIES.get(type);
    if (parameters == null) {
      n.problem("unknown strategy '" + type + "'" + Suggestions.nearest(type, STRATEGIES.keySet())
          .map(s -> "; did you mean '" + s + "'?").orElse("; known: " + new java.util.TreeSet<>(STRATEGIES.keySet())));
      return Optional.empty();
    }
    if (n.node.isObject()) {
      Set<String> keys = new java.util.HashSet<>(parameters);
      keys.add("type");
      n.checkKeys(keys);
    }
    try {
      return switch (type) {
        case "priority" -> Optional.of(RoutingStrategy.priority());
        case "weighted" -> Optional.of(RoutingStrategy.weighted());
        case "round-robin" -> Optional.of(RoutingStrategy.roundRobin());
        case "least-in-flight" -> Optional.of(RoutingStrategy.leastInFlight());
        case "quota-aware" -> Optional.of(RoutingStrategy.quotaAware());
        // Ranges checked here so that the problem names the file's key, not the strategy's Java parameter.
        case "least-latency" -> inRange(n, "exploration", ConfigNode::decimal, e -> e >= 0 && e <= 1, "must be between 0 and 1")
            .map(o -> o.map(RoutingStrategy::leastLatency).orElseGet(RoutingStrategy::leastLatency));
        case "lowest-cost" -> inRange(n, "assumed-output-tokens", ConfigNode::integer, t -> t >= 0, "must not be negative")
            .map(o -> o.map(RoutingStrategy::lowestCost).orElseGet(RoutingStrategy::lowestCost));
        case "region-affinity" -> regionAffinity(n);
        default -> throw new AssertionError(type);
      };
    } catch (IllegalArgumentException e) {
      n.problem(e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Empty (with a problem on the key) when {@code key} is present but unreadable or out of range;
   * else the value if present.
   */
  private static <T> Optional<Optional<T>> inRange(ConfigNode n, String key, java.util.function.Function<ConfigNode, Optional<T>> read,
      java.util.function.Predicate<T> valid, String problem) {
    Optional<ConfigNode> node = n.node.isObject() ? n.get(key) : Optional.empty();
    if (node.isEmpty()) return Optional.of(Optional.empty());
    Optional<T> v = read.apply(node.get());
    if (v.isEmpty()) return Optional.empty();
    if (!valid.test(v.get())) {
      node.get().problem(problem);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  private static Optional<RoutingStrategy> regionAffinity(ConfigNode n) {
    Optional<String> region = n.node.isObject() ? n.get("region").flatMap(ConfigNode::text) : Optional.empty();
    if (region.isEmpty()) {
      if (!n.node.isObject() || n.get("region").isEmpty()) {
        n.problem("region-affinity needs the caller's region: strategy: {type: region-affinity, region: eastus}");
      }
      return Optional.empty();
    }
    Optional<ConfigNode> then = n.get("then");
    if (then.isEmpty()) return Optional.of(RoutingStrategy.regionAffinity(region.get(), RoutingStrategy.priority()));
    return strategy(then.get()).map(secondary -> RoutingStrategy.regionAffinity(region.get(), secondary));
  }
}
