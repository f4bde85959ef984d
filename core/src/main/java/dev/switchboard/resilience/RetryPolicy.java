package dev.switchboard.resilience;

import dev.switchboard.ErrorKind;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * When a failed attempt is repeated on the same target, and how long to wait first.
 *
 * <p>An attempt that failed with a kind in {@link #retryOn()} is repeated on its target up to
 * {@link #maxRetries()} times. The wait is the server's Retry-After when it sent one — honoured
 * only if it is at most {@link #maxRetryAfter()} ({@link #UNTIL_DEADLINE}: whatever fits) and fits
 * the call's remaining deadline, else the call fails over at once — or otherwise exponential
 * backoff with jitter: a uniform random delay in {@code [min(minBackoff, bound), bound)} where
 * {@code bound = min(maxBackoff, initialBackoff * multiplier^n, remaining deadline)} (a
 * {@code minBackoff} equal to the cap with multiplier 1 is a fixed delay).
 * {@link ErrorKind#RATE_LIMITED} is different: while another target can take the call it fails
 * over at once (that target answers sooner than any wait here) and the limited one cools down;
 * only when no other target is left is it retried, after its cooldown — the Retry-After, or
 * without one the cooldown floor — within the same limits. Retries draw on the switchboard's
 * retry budget.
 *
 * <p>Defaults: one retry per target, 100 ms initial backoff doubling up to 2 s with full jitter
 * (no minimum), Retry-After up to 2 s honoured, on RATE_LIMITED, UNAVAILABLE, SERVER_ERROR and
 * NETWORK — the failures likely to pass on the same target. TIMEOUT is not retried by default:
 * a target that did not answer in time is left for the next one, not waited on twice.
 */
public record RetryPolicy(
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    Duration maxRetryAfter,
    Set<ErrorKind> retryOn,
    Duration minBackoff) {

  /**
   * The kinds retried on the same target by default: those likely to pass there, the kinds whose
   * {@link ErrorKind#retryableByDefault()} is true (the enum holds the one default table).
   */
  public static final Set<ErrorKind> DEFAULT_RETRY_ON = Checks.kindsWhere(ErrorKind::retryableByDefault);

  /** A {@link #maxRetryAfter()} that honours any Retry-After that fits the call's remaining deadline. */
  public static final Duration UNTIL_DEADLINE = Duration.ofMillis(Long.MAX_VALUE);

  public static final RetryPolicy DEFAULTS = builder().build();

  /** Never repeats an attempt on the same target (failover still applies). */
  public static final RetryPolicy NONE = builder().maxRetries(0).build();

  public RetryPolicy {
    if (maxRetries < 0) throw new IllegalArgumentException("retry.max-retries must be >= 0, got " + maxRetries);
    Checks.positive(initialBackoff, "retry.initial-backoff");
    Checks.positive(maxBackoff, "retry.max-backoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("retry.max-backoff " + maxBackoff + " is shorter than retry.initial-backoff " + initialBackoff);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("retry.multiplier must be >= 1, got " + multiplier);
    }
    Checks.nonNegative(maxRetryAfter, "retry.max-retry-after");
    retryOn = Checks.kinds(retryOn, "retry.retry-on");
    Checks.nonNegative(minBackoff, "retry.min-backoff");
    if (minBackoff.compareTo(maxBackoff) > 0) {
      throw new IllegalArgumentException("retry.min-backoff " + minBackoff + " is longer than retry.max-backoff " + maxBackoff);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether an attempt that failed with {@code kind} may be repeated on its target. */
  public boolean retries(ErrorKind kind) {
    return retryOn.contains(kind);
  }

  /** The upper bound of the jittered wait before retry number {@code retry} (0-based). */
  public long backoffCapNanos(int retry) {
    double cap = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry));
    return (long) Math.min(cap, (double) maxBackoff.toNanos());
  }

  /**
   * Jitter: a uniform delay in {@code [min(minBackoff, bound), bound)} with
   * {@code bound = min(cap, limitNanos)} for retry number {@code retry}, where
   * {@code limitNanos} is what is left of the call's deadline; {@code bound} itself when the
   * minimum reaches it (a fixed delay).
   */
  public long jitteredBackoffNanos(int retry, long limitNanos, RandomGenerator random) {
    long bound = Math.min(backoffCapNanos(retry), limitNanos);
    if (bound <= 0) return 0;
    long min = Math.min(minBackoff.toNanos(), bound);
    return min >= bound ? bound : min + random.nextLong(bound - min);
  }

  /** Builds a {@link RetryPolicy}; unset values keep the defaults. */
  public static final class Builder {
    private int maxRetries = 1;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private double multiplier = 2.0;
    private Duration maxRetryAfter = Duration.ofSeconds(2);
    private Set<ErrorKind> retryOn = DEFAULT_RETRY_ON;
    private Duration minBackoff = Duration.ZERO;

    private Builder() {}

    private Builder(RetryPolicy p) {
      maxRetries = p.maxRetries;
      initialBackoff = p.initialBackoff;
      maxBackoff = p.maxBackoff;
      multiplier = p.multiplier;
      maxRetryAfter = p.maxRetryAfter;
      retryOn = p.retryOn;
      minBackoff = p.minBackoff;
    }

    /** Retries per target after its first attempt (0 disables retrying). */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /** The shortest backoff (0: full jitter from zero). */
    public Builder minBackoff(Duration minBackoff) {
      this.minBackoff = minBackoff;
      return this;
    }

    /** The same delay before every retry: min = initial = max backoff, multiplier 1. */
    public Builder fixedBackoff(Duration delay) {
      this.initialBackoff = delay;
      this.maxBackoff = delay;
      this.minBackoff = delay;
      this.multiplier = 1.0;
      return this;
    }

    /**
     * The longest server-requested Retry-After waited for on the same target (longer: fail over);
     * {@link #UNTIL_DEADLINE} waits for any that fits the call's remaining deadline.
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /** The kinds repeated on the same target. */
    public Builder retryOn(Collection<ErrorKind> kinds) {
      this.retryOn = Set.copyOf(Objects.requireNonNull(kinds, "kinds == null"));
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, maxRetryAfter, retryOn, minBackoff);
    }
  }
}
