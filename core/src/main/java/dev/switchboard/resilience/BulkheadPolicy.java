package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Caps the calls in flight to one target (a Resilience4j {@code Bulkhead}). When the target is
 * full, the call routes to its next target at once ({@link WhenFull#NEXT_TARGET}, the default),
 * or waits up to {@link #maxWait()} for a slot without blocking a thread ({@link WhenFull#WAIT})
 * and then routes on. {@link #UNLIMITED} (the default) applies no cap.
 */
public record BulkheadPolicy(int maxConcurrentCalls, WhenFull whenFull, Duration maxWait) {

  /** What a call does when the target is full. */
  public enum WhenFull {
    NEXT_TARGET,
    WAIT
  }

  public static final BulkheadPolicy UNLIMITED = new BulkheadPolicy(Integer.MAX_VALUE, WhenFull.NEXT_TARGET, Duration.ZERO);

  public BulkheadPolicy {
    if (maxConcurrentCalls < 1) throw new IllegalArgumentException("bulkhead.max-concurrent-calls must be >= 1, got " + maxConcurrentCalls);
    Objects.requireNonNull(whenFull, "whenFull == null");
    Checks.nonNegative(maxWait, "bulkhead.max-wait");
    if (whenFull == WhenFull.WAIT && maxWait.isZero()) {
      throw new IllegalArgumentException("bulkhead.max-wait must be positive when bulkhead.when-full is WAIT");
    }
  }

  /** At most {@code maxConcurrentCalls} in flight; a full target is passed over for the next. */
  public static BulkheadPolicy of(int maxConcurrentCalls) {
    return new BulkheadPolicy(maxConcurrentCalls, WhenFull.NEXT_TARGET, Duration.ZERO);
  }

  /** At most {@code maxConcurrentCalls} in flight; a call waits up to {@code maxWait} for a slot. */
  public static BulkheadPolicy waiting(int maxConcurrentCalls, Duration maxWait) {
    return new BulkheadPolicy(maxConcurrentCalls, WhenFull.WAIT, maxWait);
  }

  public boolean limited() {
    return maxConcurrentCalls != Integer.MAX_VALUE;
  }
}
