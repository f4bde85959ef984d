package dev.switchboard.internal;

import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;

/**
 * Why a target was passed over, and the kind a call fails with when every target was passed
 * over for that reason. {@link #rank} orders them: a transient reason (open circuit, cooldown,
 * quota) explains a failure better than a permanent one (capability, context window).
 */
record Skip(ErrorKind kind, SkipReason category, String reason) {
  int rank() {
    return switch (kind) {
      case UNAVAILABLE -> 5;
      case RATE_LIMITED -> 4;
      case QUOTA_EXCEEDED -> 3;
      case CONTEXT_LENGTH_EXCEEDED -> 2;
      default -> 1;
    };
  }
}
