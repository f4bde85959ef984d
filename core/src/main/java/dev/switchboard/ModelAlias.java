package dev.switchboard;

import dev.switchboard.routing.RoutingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model name the application uses ({@code "gpt-4o"}, {@code "chat-default"}) and the targets
 * that can serve it, in order of preference, and its routing policy (strategy, retry, failover,
 * timeouts, hedging; empty: the switchboard's default, {@link Switchboard.Builder#routing}).
 */
public record ModelAlias(String name, List<Target> targets, Optional<RoutingPolicy> routing) {
  public ModelAlias {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("model alias name is blank");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) throw new IllegalArgumentException("model alias '" + name + "' has no targets");
    Objects.requireNonNull(routing, "routing == null");
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this alias's targets and policy, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.targets.addAll(targets);
    b.routing = routing;
    return b;
  }

  /** Builds a {@link ModelAlias}. */
  public static final class Builder {
    private final String name;
    private final List<Target> targets = new ArrayList<>();
    private Optional<RoutingPolicy> routing = Optional.empty();

    private Builder(String name) {
      this.name = name;
    }

    /** Adds a target; its priority defaults to its position. */
    public Builder target(String deployment, String model) {
      return target(Target.of(deployment, model).withPriority(targets.size()));
    }

    public Builder target(Target target) {
      targets.add(Objects.requireNonNull(target, "target == null"));
      return this;
    }

    /** This alias's routing policy, instead of the switchboard's default. */
    public Builder routing(RoutingPolicy policy) {
      this.routing = Optional.of(Objects.requireNonNull(policy, "policy == null"));
      return this;
    }

    public ModelAlias build() {
      return new ModelAlias(name, targets, routing);
    }
  }
}
