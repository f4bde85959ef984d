/**
 * Routing: the {@link dev.switchboard.routing.RoutingStrategy} SPI that orders a model alias's
 * targets for each call, the built-in strategies (priority, weighted, round-robin,
 * least-latency, least-in-flight, lowest-cost, quota-aware, region-affinity), the per-alias
 * {@link dev.switchboard.routing.RoutingPolicy}, configured {@link dev.switchboard.routing.TargetLimits},
 * and the local {@link dev.switchboard.routing.TokenEstimator}.
 */
package dev.switchboard.routing;
