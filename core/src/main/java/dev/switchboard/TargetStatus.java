package dev.switchboard;

import dev.switchboard.resilience.CircuitState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one target's health, for health endpoints and dashboards: its circuit breaker's
 * state, how long it is still skipped after a 429 (zero when it is not cooling down), and the
 * kind and time of the last error it answered with (kept after it recovers).
 */
public record TargetStatus(
    TargetRef target, CircuitState circuit, Duration cooldownRemaining, Optional<ErrorKind> lastErrorKind,
    Optional<Instant> lastErrorAt) {
  public TargetStatus {
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(circuit, "circuit == null");
    Objects.requireNonNull(cooldownRemaining, "cooldownRemaining == null");
    Objects.requireNonNull(lastErrorKind, "lastErrorKind == null");
    Objects.requireNonNull(lastErrorAt, "lastErrorAt == null");
  }

  /** Whether routing would try this target now: its circuit is not open and it is not cooling down. */
  public boolean available() {
    return circuit != CircuitState.OPEN && cooldownRemaining.isZero();
  }
}
