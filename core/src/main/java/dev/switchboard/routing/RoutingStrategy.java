package dev.switchboard.routing;

import java.util.List;

/**
 * Orders a model alias's targets for one call, most preferred first. Switchboard then walks that
 * order: it skips targets that cannot serve the request (open circuit, cooling down after 429,
 * exhausted quota, missing capability, context window too small, bulkhead full), retries and
 * fails over along it, and hedges to the next one.
 *
 * <p>Implementations are called concurrently for every call, so they must be thread-safe and
 * fast (no I/O, no locks held across calls, no logging on the hot path). They receive every
 * target of the alias and return the ones to try, in order; leaving one out means it is never
 * tried for this call. A strategy that throws is logged and replaced by priority order for that
 * call. Use {@link RoutingRequest#random()} for random choices so seeded tests are repeatable.
 *
 * <p>A strategy instance may hold state (round-robin's counter): give each alias its own
 * instance.
 */
@FunctionalInterface
public interface RoutingStrategy {

  /** Returns {@code candidates} (or a subset) in the order to try them. Must not modify the input. */
  List<Candidate> order(List<Candidate> candidates, RoutingRequest request);

  /** A short name for logs and traces. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** Ordered failover: lowest {@code priority} first, declaration order among equals. The default. */
  static RoutingStrategy priority() {
    return new PriorityStrategy();
  }

  /**
   * Weighted random: the first target is drawn with probability proportional to its weight, the
   * rest follow in weighted random order; weight-0 targets come last, by priority (failover only).
   */
  static RoutingStrategy weighted() {
    return new WeightedStrategy();
  }

  /** Round-robin over the targets with a positive weight; weight-0 targets come last. */
  static RoutingStrategy roundRobin() {
    return new RoundRobinStrategy();
  }

  /** Least latency with 5 % exploration; see {@link #leastLatency(double)}. */
  static RoutingStrategy leastLatency() {
    return new LeastLatencyStrategy(0.05);
  }

  /**
   * Lowest decaying average latency first (time to first event for streams). Targets not yet
   * measured go first, so each is sampled; with probability {@code exploration} a random other
   * target is tried first, so a recovered or sped-up target is noticed.
   */
  static RoutingStrategy leastLatency(double exploration) {
    return new LeastLatencyStrategy(exploration);
  }

  /** Fewest attempts in flight first; priority among equals. */
  static RoutingStrategy leastInFlight() {
    return new LeastInFlightStrategy();
  }

  /** Cheapest expected cost first, assuming 500 output tokens when the request sets no maxTokens. */
  static RoutingStrategy lowestCost() {
    return new LowestCostStrategy(500);
  }

  /**
   * Cheapest first by the price table: estimated input tokens × input price + expected output
   * tokens (the request's maxTokens, else {@code assumedOutputTokens}) × output price. Targets
   * without a price come after priced ones, by priority.
   */
  static RoutingStrategy lowestCost(int assumedOutputTokens) {
    return new LowestCostStrategy(assumedOutputTokens);
  }

  /** Most rate-limit quota left first ({@link TargetStats#quotaRemaining()}); priority among equals. */
  static RoutingStrategy quotaAware() {
    return new QuotaAwareStrategy();
  }

  /**
   * Targets in {@code region} (the caller's region) first, then the others; each group ordered by
   * {@code secondary}.
   */
  static RoutingStrategy regionAffinity(String region, RoutingStrategy secondary) {
    return new RegionAffinityStrategy(region, secondary);
  }
}
