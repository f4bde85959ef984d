package dev.switchboard;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One place a model alias can be served: a deployment and the provider-side model id (or Azure
 * deployment name) to call there, with the hints routing strategies use: priority (lower first),
 * weight, a region tag (defaults to the deployment's), price per 1k tokens and context window.
 */
public record Target(
    String deployment,
    String model,
    int priority,
    int weight,
    Optional<String> region,
    Optional<Price> price,
    OptionalInt contextWindow) {

  public Target {
    if (deployment == null || deployment.isBlank()) throw new IllegalArgumentException("target deployment is blank");
    if (model == null || model.isBlank()) throw new IllegalArgumentException("target model is blank for deployment '" + deployment + "'");
    if (priority < 0) throw new IllegalArgumentException("target priority " + priority + " must be >= 0");
    if (weight < 0) throw new IllegalArgumentException("target weight " + weight + " must be >= 0");
    Objects.requireNonNull(region, "region == null");
    Objects.requireNonNull(price, "price == null");
    Objects.requireNonNull(contextWindow, "contextWindow == null");
    if (contextWindow.isPresent() && contextWindow.getAsInt() <= 0) {
      throw new IllegalArgumentException("target contextWindow must be positive");
    }
  }

  /** A target with default hints: priority 0, weight 1. */
  public static Target of(String deployment, String model) {
    return new Target(deployment, model, 0, 1, Optional.empty(), Optional.empty(), OptionalInt.empty());
  }

  public Target withPriority(int priority) {
    return new Target(deployment, model, priority, weight, region, price, contextWindow);
  }

  public Target withWeight(int weight) {
    return new Target(deployment, model, priority, weight, region, price, contextWindow);
  }

  public Target withRegion(String region) {
    return new Target(deployment, model, priority, weight, Optional.of(region), price, contextWindow);
  }

  public Target withPrice(Price price) {
    return new Target(deployment, model, priority, weight, region, Optional.of(price), contextWindow);
  }

  public Target withContextWindow(int tokens) {
    return new Target(deployment, model, priority, weight, region, price, OptionalInt.of(tokens));
  }

  /** Price in USD per 1,000 input and output tokens. */
  public record Price(double inputPer1k, double outputPer1k) {
    public Price {
      if (!(inputPer1k >= 0) || !(outputPer1k >= 0)) throw new IllegalArgumentException("prices must be >= 0");
    }

    /** The cost of {@code usage} in USD. */
    public double cost(Usage usage) {
      return usage.inputTokens() / 1000.0 * inputPer1k + usage.outputTokens() / 1000.0 * outputPer1k;
    }
  }
}
