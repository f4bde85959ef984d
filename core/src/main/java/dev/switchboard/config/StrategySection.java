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
        case "least-latency" -> Optional.of(n.get("exploration").flatMap(ConfigNode::decimal)
            .map(RoutingStrategy::leastLatency).orElseGet(RoutingStrategy::leastLatency));
        case "lowest-cost" -> Optional.of(n.get("assumed-output-tokens").flatMap(ConfigNode::integer)
            .map(RoutingStrategy::lowestCost).orElseGet(RoutingStrategy::lowestCost));
        case "region-affinity" -> regionAffinity(n);
        default -> throw new AssertionError(type);
      };
    } catch (IllegalArgumentException e) {
      n.problem(e.getMessage());
      return Optional.empty();
    }
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
