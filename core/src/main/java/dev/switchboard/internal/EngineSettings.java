package dev.switchboard.internal;

import dev.switchboard.CallListener;
import dev.switchboard.ModelAlias;
import dev.switchboard.Scheduler;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CooldownPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.spi.ChatProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Everything the {@link CallEngine} is built from, gathered by {@code Switchboard.Builder}.
 * Per-alias and per-deployment maps override the defaults next to them.
 *
 * @param random the random source for jitter, weighted choice and exploration; null for
 *     {@link java.util.concurrent.ThreadLocalRandom}
 * @param maxStreamBytes the most one stream's assembled answer may hold ({@code http.maxStreamBytes})
 */
public record EngineSettings(
    Map<String, ChatProvider> providers,
    Map<String, ModelAlias> aliases,
    Map<String, Optional<String>> deploymentRegions,
    RoutingPolicy defaultRouting,
    Map<String, RoutingPolicy> routing,
    CircuitBreakerPolicy defaultCircuitBreaker,
    Map<String, CircuitBreakerPolicy> circuitBreakers,
    BulkheadPolicy defaultBulkhead,
    Map<String, BulkheadPolicy> bulkheads,
    Map<String, TargetLimits> limits,
    CooldownPolicy cooldown,
    RetryBudgetPolicy retryBudget,
    CallListener.Factory listenerFactory,
    Random random,
    Clock clock,
    Scheduler scheduler,
    Duration defaultTimeout,
    Duration streamConsumerTimeout,
    long maxStreamBytes) {

  public EngineSettings {
    providers = Map.copyOf(providers);
    aliases = Map.copyOf(aliases);
    deploymentRegions = Map.copyOf(deploymentRegions);
    routing = Map.copyOf(routing);
    circuitBreakers = Map.copyOf(circuitBreakers);
    bulkheads = Map.copyOf(bulkheads);
    limits = Map.copyOf(limits);
  }
}
