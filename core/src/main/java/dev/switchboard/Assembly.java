package dev.switchboard;

import dev.switchboard.config.ConfigException;
import dev.switchboard.http.HttpClients;
import dev.switchboard.internal.CallEngine;
import dev.switchboard.internal.CompositeCallListener;
import dev.switchboard.internal.EngineSettings;
import dev.switchboard.internal.Json;
import dev.switchboard.internal.ProviderDiscovery;
import dev.switchboard.internal.SystemScheduler;
import dev.switchboard.internal.TargetHealthTable;
import dev.switchboard.internal.WarmUp;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.Timeouts;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.state.SharedState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * How {@link Switchboard.Builder#build()} turns settings into a running switchboard, in the order
 * the parts are made: check the configuration's references; make the shared HTTP client and the
 * scheduler; create each deployment's provider; report every problem at once (closing what was
 * made); then wire the listeners and the engine, which holds every target's health state.
 */
final class Assembly {
  private final SwitchboardSettings b;
  private final List<String> errors;

  private Assembly(SwitchboardSettings b) {
    this.b = b;
    this.errors = new ArrayList<>(b.problems);
  }

  static Switchboard build(SwitchboardSettings b) {
    return new Assembly(b).build();
  }

  private Switchboard build() {
    checkReferences();
    SharedResources shared = b.shared;
    if (shared != null && !shared.acquire()) throw new IllegalStateException("the switchboard this builder came from is closed");
    OkHttpClient client = shared != null ? shared.httpClient()
        : HttpClients.configure(b.httpClient == null ? new OkHttpClient.Builder() : b.httpClient.newBuilder(), b.http).build();
    SystemScheduler ownScheduler = shared == null && b.scheduler == null ? new SystemScheduler() : null;
    Scheduler scheduler = shared != null ? shared.scheduler() : b.scheduler != null ? b.scheduler : ownScheduler;
    Clock clock = shared != null ? shared.clock() : b.clock;
    HttpSettings http = shared != null ? shared.http() : b.http;
    // No Micrometer type is touched unless the caller passed a registry: Micrometer is optional.
    ProviderContext context = new ProviderContext(client, Json.newMapper(), Optional.ofNullable(b.meterRegistry), clock, scheduler, http);
    Map<String, ChatProvider> providers = createProviders(context);
    if (shared == null) checkSharedState();
    if (!errors.isEmpty()) fail(providers, ownScheduler);

    if (shared == null) {
      SharedState ownState = b.sharedStateFactory == null ? null : b.sharedStateFactory.create(b.sharedStateSettings);
      shared = new SharedResources(client, http, clock, scheduler, ownScheduler, ownState != null ? ownState : b.sharedState, ownState,
          new TargetHealthTable(), List.copyOf(b.readyMade.values()), new SharedResources.Users());
    }
    CallEngine engine = new CallEngine(engineSettings(providers, clock, scheduler), shared.sharedState(), shared.health());
    Switchboard sb = new Switchboard(new OwnedResources(engine, own(providers, shared), shared), b.copy(null));
    WarmUp.start(List.copyOf(providers.values()), client.dispatcher().executorService());
    return sb;
  }

  /** The providers this switchboard closes: all but the ready-made ones it shares with the switchboard it came from. */
  private static Map<String, ChatProvider> own(Map<String, ChatProvider> providers, SharedResources shared) {
    Map<String, ChatProvider> own = new LinkedHashMap<>(providers);
    own.values().removeIf(p -> shared.readyMade().stream().anyMatch(r -> r == p));
    return own;
  }

  /** Every alias has targets on known deployments, every ready-made provider has its deployment's type. */
  private void checkReferences() {
    if (b.aliases.isEmpty()) errors.add("no model alias is configured");
    for (ModelAlias alias : b.aliases.values()) {
      for (Target t : alias.targets()) {
        if (!known(t.deployment())) {
          errors.add("model alias '" + alias.name() + "' targets unknown deployment '" + t.deployment() + "'");
        }
      }
    }
    b.readyMade.forEach((name, p) -> {
      String type = b.deployments.get(name).type();
      if (!type.equals(p.type())) errors.add("deployment '" + name + "' has type '" + type + "' but its provider's type is '" + p.type() + "'");
    });
  }

  private boolean known(String deployment) {
    return b.deployments.containsKey(deployment);
  }

  /** The ready-made providers, then one per configured deployment from its type's factory. */
  private Map<String, ChatProvider> createProviders(ProviderContext context) {
    Map<String, ChatProvider> providers = new LinkedHashMap<>(b.readyMade);
    if (b.readyMade.size() == b.deployments.size()) return providers;
    ProviderDiscovery discovery = ProviderDiscovery.discover(
        b.classLoader != null ? b.classLoader : Switchboard.class.getClassLoader(), b.factories, b.scanClasspath);
    for (Deployment d : b.deployments.values()) {
      if (b.readyMade.containsKey(d.name())) continue;
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
      } catch (ConfigException e) {
        errors.addAll(e.problems()); // one problem per setting, each with its path
      } catch (IllegalArgumentException e) {
        String m = String.valueOf(e.getMessage());
        errors.add(m.startsWith(where + ".") || m.startsWith(where + ":") ? m : where + ": " + m);
      }
    }
    return providers;
  }

  private void checkSharedState() {
    if (b.sharedStateFactory != null) {
      b.sharedStateFactory.validate(b.sharedStateSettings).forEach(p -> errors.add("shared-state " + b.sharedStateFactory.type() + ": " + p));
    }
  }

  /** Closes what was made (not what is shared) and reports every problem found. */
  private void fail(Map<String, ChatProvider> providers, SystemScheduler ownScheduler) {
    Map<String, ChatProvider> made = b.shared == null ? providers : own(providers, b.shared);
    made.values().forEach(p -> {
      try {
        p.close();
      } catch (Exception ignored) {
        // already failing; the configuration errors matter more
      }
    });
    if (ownScheduler != null) ownScheduler.close();
    if (b.shared != null) b.shared.release();
    throw new ConfigException(b.configSource, errors);
  }

  private EngineSettings engineSettings(Map<String, ChatProvider> providers, Clock clock, Scheduler scheduler) {
    Map<String, Optional<String>> regions = new LinkedHashMap<>();
    Map<String, CircuitBreakerPolicy> circuitBreakers = new LinkedHashMap<>();
    Map<String, BulkheadPolicy> bulkheads = new LinkedHashMap<>();
    Map<String, TargetLimits> limits = new LinkedHashMap<>();
    for (Deployment d : b.deployments.values()) {
      regions.put(d.name(), d.region());
      d.circuitBreaker().ifPresent(p -> circuitBreakers.put(d.name(), p));
      d.bulkhead().ifPresent(p -> bulkheads.put(d.name(), p));
      limits.put(d.name(), d.limits());
    }
    Map<String, RoutingPolicy> routing = new LinkedHashMap<>();
    b.aliases.values().forEach(a -> a.routing().ifPresent(p -> routing.put(a.name(), p)));
    return new EngineSettings(providers, b.aliases, regions, b.defaultRouting, routing,
        b.defaultCircuitBreaker, circuitBreakers, b.defaultBulkhead, bulkheads, limits, b.cooldown, b.retryBudget,
        listeners(providers), b.random, clock, scheduler,
        b.defaultRouting.timeouts().call().orElse(Timeouts.DEFAULT_CALL), b.streamConsumerTimeout, b.http.maxStreamBytes());
  }

  /** Metrics, tracing and the user's listener, in that order, as one factory. */
  private CallListener.Factory listeners(Map<String, ChatProvider> providers) {
    List<CallListener.Factory> all = new ArrayList<>();
    if (b.meterRegistry != null) {
      Map<String, String> servers = new LinkedHashMap<>();
      providers.forEach((name, p) -> p.serverAddress().ifPresent(host -> servers.put(name, host)));
      all.add(new dev.switchboard.metrics.MicrometerMetrics(b.meterRegistry, servers));
    }
    if (b.observationRegistry != null) all.add(new dev.switchboard.metrics.ObservationTracing(b.observationRegistry));
    all.add(b.callListenerFactory);
    return CompositeCallListener.factory(all);
  }
}
