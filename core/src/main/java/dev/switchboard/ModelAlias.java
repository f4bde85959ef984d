package dev.switchboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model name the application uses ({@code "gpt-4o"}, {@code "chat-default"}) and the targets
 * that can serve it, in order of preference. Routing and resilience policy for the alias is set
 * on the {@link Switchboard} builder.
 */
public record ModelAlias(String name, List<Target> targets) {
  public ModelAlias {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("model alias name is blank");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) throw new IllegalArgumentException("model alias '" + name + "' has no targets");
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link ModelAlias}. */
  public static final class Builder {
    private final String name;
    private final List<Target> targets = new ArrayList<>();

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

    public ModelAlias build() {
      return new ModelAlias(name, targets);
    }
  }
}
