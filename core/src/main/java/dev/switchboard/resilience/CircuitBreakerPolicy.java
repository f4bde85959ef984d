package dev.switchboard.resilience;

import dev.switchboard.ErrorKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The circuit breaker every target gets (a Resilience4j {@code CircuitBreaker} running on the
 * switchboard's clock). Only {@link #COUNTED_KINDS} count as failures: a target that answers
 * 400, 401 or 429 is alive, so client errors and rate limiting neither open nor close a circuit.
 *
 * <p>Closed: the last {@link #slidingWindowSize()} calls (or seconds, for
 * {@link WindowType#TIME}) are counted; once at least {@link #minimumCalls()} are recorded and
 * {@link #failureRateThreshold()} percent failed, the circuit opens and the target is skipped.
 * With {@link #consecutiveFailures()} set instead, it opens after that many counted failures in
 * a row (a success in between starts the count again).
 *
 * <p>Open: the first time for {@link #waitInOpen()}; each failed probe re-opens it for
 * {@link #waitMultiplier()} times longer, up to {@link #maxWaitInOpen()}; a successful probe
 * closes it and the next opening starts short again. A short first wait notices a brief blip's end
 * at once, the growth keeps a long outage from being probed often, and the cap bounds how long a
 * target that came back goes unnoticed. Then {@link #permittedCallsInHalfOpen()} probe calls go
 * through; their failure rate closes or re-opens it. When every target of an alias is open, the
 * call still tries the one that failed least recently rather than failing without a call.
 *
 * <p>Defaults: 50 % of the last 20 calls, at least 10 recorded; open 2 s, then 4 s, 8 s, capped at
 * 10 s; one probe at a time.
 */
public record CircuitBreakerPolicy(
    boolean enabled,
    float failureRateThreshold,
    WindowType windowType,
    int slidingWindowSize,
    int minimumCalls,
    Duration waitInOpen,
    double waitMultiplier,
    Duration maxWaitInOpen,
    int permittedCallsInHalfOpen,
    int consecutiveFailures) {

  /** The kinds that count as a target's failure. */
  public static final Set<ErrorKind> COUNTED_KINDS = Set.copyOf(EnumSet.of(
      ErrorKind.SERVER_ERROR, ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT, ErrorKind.NETWORK, ErrorKind.PROTOCOL));

  /** How the sliding window is measured. */
  public enum WindowType {
    /** The last N calls. */
    COUNT,
    /** The calls of the last N seconds. */
    TIME
  }

  public static final CircuitBreakerPolicy DEFAULTS = builder().build();

  /** No circuit breaking. */
  public static final CircuitBreakerPolicy DISABLED = builder().enabled(false).build();

  public CircuitBreakerPolicy {
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
      throw new IllegalArgumentException("circuit-breaker.failure-rate-threshold must be in (0, 100], got " + failureRateThreshold);
    }
    if (windowType == null) throw new NullPointerException("windowType == null");
    if (slidingWindowSize < 1) throw new IllegalArgumentException("circuit-breaker.sliding-window-size must be >= 1, got " + slidingWindowSize);
    if (minimumCalls < 1) throw new IllegalArgumentException("circuit-breaker.minimum-calls must be >= 1, got " + minimumCalls);
    Checks.positive(waitInOpen, "circuit-breaker.wait-in-open");
    if (!(waitMultiplier >= 1.0) || Double.isInfinite(waitMultiplier)) {
      throw new IllegalArgumentException("circuit-breaker.wait-multiplier must be >= 1, got " + waitMultiplier);
    }
    Checks.positive(maxWaitInOpen, "circuit-breaker.max-wait-in-open");
    if (maxWaitInOpen.compareTo(waitInOpen) < 0) {
      throw new IllegalArgumentException("circuit-breaker.max-wait-in-open " + maxWaitInOpen
          + " is shorter than circuit-breaker.wait-in-open " + waitInOpen);
    }
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("circuit-breaker.consecutive-failures must be >= 0 (0: use the failure rate), got "
          + consecutiveFailures);
    }
    if (permittedCallsInHalfOpen < 1) {
      throw new IllegalArgumentException("circuit-breaker.permitted-calls-in-half-open must be >= 1, got " + permittedCallsInHalfOpen);
    }
  }

  /** The open wait after {@code reopenings} failed probes in a row (0: the first opening). */
  public Duration waitInOpen(int reopenings) {
    double millis = waitInOpen.toMillis() * Math.pow(waitMultiplier, Math.max(0, reopenings));
    return millis >= maxWaitInOpen.toMillis() ? maxWaitInOpen : Duration.ofMillis((long) millis);
  }

  /** Whether the circuit opens on {@link #consecutiveFailures()} failures in a row rather than on a rate. */
  public boolean countsConsecutiveFailures() {
    return consecutiveFailures > 0;
  }

  /** Whether a failure of {@code kind} counts against a target's circuit. */
  public static boolean counts(ErrorKind kind) {
    return COUNTED_KINDS.contains(kind);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link CircuitBreakerPolicy}. */
  public static final class Builder {
    private boolean enabled = true;
    private float failureRateThreshold = 50;
    private WindowType windowType = WindowType.COUNT;
    private int slidingWindowSize = 20;
    private int minimumCalls = 10;
    private Duration waitInOpen = Duration.ofSeconds(2);
    private double waitMultiplier = 2.0;
    private Duration maxWaitInOpen = Duration.ofSeconds(10);
    private boolean maxWaitSet;
    private int permittedCallsInHalfOpen = 1;
    private int consecutiveFailures;

    private Builder() {}

    private Builder(CircuitBreakerPolicy p) {
      enabled = p.enabled;
      failureRateThreshold = p.failureRateThreshold;
      windowType = p.windowType;
      slidingWindowSize = p.slidingWindowSize;
      minimumCalls = p.minimumCalls;
      waitInOpen = p.waitInOpen;
      waitMultiplier = p.waitMultiplier;
      maxWaitInOpen = p.maxWaitInOpen;
      permittedCallsInHalfOpen = p.permittedCallsInHalfOpen;
      consecutiveFailures = p.consecutiveFailures;
    }

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Percent of counted calls that must fail to open the circuit. */
    public Builder failureRateThreshold(float percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    public Builder windowType(WindowType windowType) {
      this.windowType = windowType;
      return this;
    }

    public Builder slidingWindowSize(int size) {
      this.slidingWindowSize = size;
      return this;
    }

    public Builder minimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
      return this;
    }

    /**
     * The first open wait. Unless {@link #maxWaitInOpen} is set on this builder, a wait longer
     * than the cap raises the cap to it (the circuit then stays open that long every time).
     */
    public Builder waitInOpen(Duration waitInOpen) {
      this.waitInOpen = waitInOpen;
      return this;
    }

    /** How much longer each failed probe keeps the circuit open (1: a fixed wait). */
    public Builder waitMultiplier(double multiplier) {
      this.waitMultiplier = multiplier;
      return this;
    }

    /** The longest open wait, however many probes failed. */
    public Builder maxWaitInOpen(Duration maxWaitInOpen) {
      this.maxWaitInOpen = maxWaitInOpen;
      this.maxWaitSet = true;
      return this;
    }

    /** Opens after {@code failures} counted failures in a row instead of on a failure rate; 0 goes back to the rate. */
    public Builder consecutiveFailures(int failures) {
      this.consecutiveFailures = failures;
      return this;
    }

    public Builder permittedCallsInHalfOpen(int calls) {
      this.permittedCallsInHalfOpen = calls;
      return this;
    }

    public CircuitBreakerPolicy build() {
      Duration max = maxWaitInOpen;
      if (!maxWaitSet && waitInOpen != null && max.compareTo(waitInOpen) < 0) max = waitInOpen;
      return new CircuitBreakerPolicy(enabled, failureRateThreshold, windowType, slidingWindowSize, minimumCalls,
          waitInOpen, waitMultiplier, max, permittedCallsInHalfOpen, consecutiveFailures);
    }
  }
}
