package dev.switchboard.routing;

import java.util.OptionalLong;

/**
 * Rate limits configured for a deployment's targets, for providers that send no
 * {@code x-ratelimit-*} headers (or to be more conservative than they are). Switchboard counts
 * requests and estimated tokens sent to each target over a sliding minute on its clock; a target
 * whose count reaches a limit is skipped as "quota exhausted", and quota-aware routing ranks by
 * what is left.
 */
public record TargetLimits(OptionalLong requestsPerMinute, OptionalLong tokensPerMinute) {

  public static final TargetLimits NONE = new TargetLimits(OptionalLong.empty(), OptionalLong.empty());

  public TargetLimits {
    if (requestsPerMinute == null || tokensPerMinute == null) throw new NullPointerException("limits == null");
    if (requestsPerMinute.isPresent() && requestsPerMinute.getAsLong() < 1) {
      throw new IllegalArgumentException("limits.requests-per-minute must be >= 1, got " + requestsPerMinute.getAsLong());
    }
    if (tokensPerMinute.isPresent() && tokensPerMinute.getAsLong() < 1) {
      throw new IllegalArgumentException("limits.tokens-per-minute must be >= 1, got " + tokensPerMinute.getAsLong());
    }
  }

  public static TargetLimits requestsPerMinute(long requests) {
    return new TargetLimits(OptionalLong.of(requests), OptionalLong.empty());
  }

  public static TargetLimits tokensPerMinute(long tokens) {
    return new TargetLimits(OptionalLong.empty(), OptionalLong.of(tokens));
  }

  public static TargetLimits of(long requestsPerMinute, long tokensPerMinute) {
    return new TargetLimits(OptionalLong.of(requestsPerMinute), OptionalLong.of(tokensPerMinute));
  }

  public boolean isEmpty() {
    return requestsPerMinute.isEmpty() && tokensPerMinute.isEmpty();
  }
}
