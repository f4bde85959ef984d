package dev.switchboard.resilience;

/** The state of a target's circuit breaker. */
public enum CircuitState {
  /** Calls flow; failures are counted. */
  CLOSED,
  /** The target failed too often; it is skipped until the open wait has passed. */
  OPEN,
  /** A few probe calls are let through to decide between closing and re-opening. */
  HALF_OPEN,
  /** Circuit breaking is disabled for the target. */
  DISABLED
}
