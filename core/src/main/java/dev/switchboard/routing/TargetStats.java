package dev.switchboard.routing;

/**
 * What Switchboard currently knows about one target's health and load, for routing strategies.
 * Values are live and read without locking: read each once per decision. Shared by every alias
 * that routes to the same deployment and model.
 */
public interface TargetStats {

  /** Decaying average latency of successful non-streamed calls, in ms; {@code NaN} until sampled. */
  double latencyMillis();

  /** Decaying average time to the first stream event, in ms; {@code NaN} until sampled. */
  double timeToFirstEventMillis();

  /** Attempts now in flight on this target (hedges included). */
  int inFlight();

  /**
   * The fraction of the target's rate-limit quota left, in {@code [0, 1]}: the smaller of the
   * request and token fractions that are known, from the provider's {@code x-ratelimit-*}
   * headers corrected by what was sent since, or counted locally against configured limits.
   * 1 when nothing is known.
   */
  double quotaRemaining();
}
