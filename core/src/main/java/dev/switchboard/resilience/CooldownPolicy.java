package dev.switchboard.resilience;

import java.time.Duration;

/**
 * How long a target is skipped after it said it is overloaded. After RATE_LIMITED it cools down
 * for the server's Retry-After, at least {@link #floor()} (servers send {@code Retry-After: 0}),
 * at most {@link #max()}. After QUOTA_EXCEEDED its quota counts as exhausted for the Retry-After
 * or, without one, {@link #quotaExhausted()}, within the same bounds.
 *
 * <p>Defaults: 1 s floor, 5 min cap, 60 s for an exhausted quota without Retry-After.
 */
public record CooldownPolicy(Duration floor, Duration max, Duration quotaExhausted) {

  public static final CooldownPolicy DEFAULTS = new CooldownPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(60));

  public CooldownPolicy {
    Checks.nonNegative(floor, "cooldown.floor");
    Checks.positive(max, "cooldown.max");
    Checks.positive(quotaExhausted, "cooldown.quota-exhausted");
    if (max.compareTo(floor) < 0) throw new IllegalArgumentException("cooldown.max " + max + " is shorter than cooldown.floor " + floor);
  }

  /** {@code requested} (or the floor when absent) within {@code [floor, max]}. */
  public Duration clamp(Duration requested) {
    if (requested == null || requested.compareTo(floor) < 0) return floor;
    return requested.compareTo(max) > 0 ? max : requested;
  }
}
