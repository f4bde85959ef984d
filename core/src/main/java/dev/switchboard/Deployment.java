package dev.switchboard;

import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.routing.TargetLimits;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One configured endpoint of one provider: a unique name, the provider type that serves it
 * ({@code openai}, {@code azure-openai}, {@code bedrock}, {@code mock}, or a third party's),
 * an optional region tag for routing, plain settings and secrets, and the policies of its
 * targets: circuit breaker and bulkhead (empty: the switchboard's defaults) and rate limits
 * counted locally. Which settings a type reads is documented by its provider module; unknown keys
 * are rejected by the provider when the {@link Switchboard} is built. {@code toString()} shows secret names, never their values, and
 * shows URL-valued settings without userinfo or query values.
 */
public record Deployment(
    String name, String type, Optional<String> region, Map<String, String> settings, Map<String, Secret> secrets,
    Optional<CircuitBreakerPolicy> circuitBreaker, Optional<BulkheadPolicy> bulkhead, TargetLimits limits) {

  public Deployment {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("deployment name is blank");
    if (type == null || type.isBlank()) throw new IllegalArgumentException("deployment '" + name + "' type is blank");
    Objects.requireNonNull(region, "region == null");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    Objects.requireNonNull(circuitBreaker, "circuitBreaker == null");
    Objects.requireNonNull(bulkhead, "bulkhead == null");
    Objects.requireNonNull(limits, "limits == null");
  }

  public static Builder builder(String name, String type) {
    return new Builder(name, type);
  }

  /** A builder holding this deployment's values, to change some (e.g. a typed provider builder's result). */
  public Builder toBuilder() {
    Builder b = new Builder(name, type);
    b.region = region;
    b.settings.putAll(settings);
    b.secrets.putAll(secrets);
    b.circuitBreaker = circuitBreaker;
    b.bulkhead = bulkhead;
    b.limits = limits;
    return b;
  }

  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  public Optional<Secret> secret(String key) {
    return Optional.ofNullable(secrets.get(key));
  }

  @Override
  public String toString() {
    return "Deployment[name=" + name + ", type=" + type + region.map(r -> ", region=" + r).orElse("")
        + ", settings=" + shownSettings() + ", secrets=" + new TreeMap<>(secrets).keySet() + "]";
  }

  /** Settings as {@code toString()} shows them: a URL's password, user or query values could be credentials. */
  private Map<String, String> shownSettings() {
    Map<String, String> shown = new TreeMap<>();
    settings.forEach((k, v) -> shown.put(k, v.contains("://") || v.contains("@") || v.contains("?")
        ? dev.switchboard.http.HttpErrors.redactUrl(v) : v));
    return shown;
  }

  /** Builds a {@link Deployment}. */
  public static final class Builder {
    private final String name;
    private final String type;
    private Optional<String> region = Optional.empty();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private Optional<CircuitBreakerPolicy> circuitBreaker = Optional.empty();
    private Optional<BulkheadPolicy> bulkhead = Optional.empty();
    private TargetLimits limits = TargetLimits.NONE;

    private Builder(String name, String type) {
      this.name = name;
      this.type = type;
    }

    /** A region tag used by region-affinity routing (e.g. {@code eastus}, {@code us-west-2}). */
    public Builder region(String region) {
      this.region = Optional.of(Objects.requireNonNull(region, "region == null"));
      return this;
    }

    public Builder setting(String key, String value) {
      settings.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value of " + key + " == null"));
      return this;
    }

    public Builder secret(String key, Secret value) {
      secrets.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "secret " + key + " == null"));
      return this;
    }

    /** The circuit breaker of each target on this deployment (default: the switchboard's, {@link Switchboard.Builder#circuitBreaker}). */
    public Builder circuitBreaker(CircuitBreakerPolicy policy) {
      this.circuitBreaker = Optional.of(Objects.requireNonNull(policy, "policy == null"));
      return this;
    }

    /** The bulkhead (concurrency cap) of each target on this deployment (default: the switchboard's, {@link Switchboard.Builder#bulkhead}). */
    public Builder bulkhead(BulkheadPolicy policy) {
      this.bulkhead = Optional.of(Objects.requireNonNull(policy, "policy == null"));
      return this;
    }

    /** Rate limits counted locally for each target on this deployment, for providers that send no rate-limit headers (default none). */
    public Builder limits(TargetLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits == null");
      return this;
    }

    public Deployment build() {
      return new Deployment(name, type, region, settings, secrets, circuitBreaker, bulkhead, limits);
    }
  }
}
