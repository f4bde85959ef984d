package dev.switchboard.routing;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * What a {@link RoutingStrategy} knows about the call it orders targets for.
 *
 * @param alias the model alias called
 * @param streaming whether the call is a stream (least-latency then ranks by time to first event)
 * @param estimatedInputTokens a local estimate of the prompt's size, see {@link TokenEstimator}
 * @param maxOutputTokens the request's {@code maxTokens}, if set
 * @param random the switchboard's random source (seedable for tests); use it for every random choice
 */
public record RoutingRequest(
    String alias, boolean streaming, int estimatedInputTokens, OptionalInt maxOutputTokens, RandomGenerator random) {

  public RoutingRequest {
    Objects.requireNonNull(alias, "alias == null");
    if (estimatedInputTokens < 0) throw new IllegalArgumentException("estimatedInputTokens < 0");
    Objects.requireNonNull(maxOutputTokens, "maxOutputTokens == null");
    Objects.requireNonNull(random, "random == null");
  }
}
