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
 * After {@link #waitInOpen()} it lets {@link #permittedCallsInHalfOpen()} probe calls through;
 * their failure rate closes or re-opens it. When every target of an alias is open, the call
 * still tries the one that failed least recently rather than failing without a call.
 *
 * <p>Defaults: 50 % of the last 20 calls, at least 10 recorded, 30 s open, 2 probes.
 */
public record CircuitBreakerPolicy(
    boolean enabled,
    float failureRateThreshold,
    WindowType windowType,
    int slidingWindowSize,
    int minimumCalls,
    Duration waitInOpen,
    int permittedCallsInHalfOpen) {

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
    if (permittedCallsInHalfOpen < 1) {
      throw new IllegalArgumentException("circuit-breaker.permitted-calls-in-half-open must be >= 1, got " + permittedCallsInHalfOpen);
    }
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
    private Duration waitInOpen = Duration.ofSeconds(30);
    private int permittedCallsInHalfOpen = 2;

    private Builder() {}

    private Builder(CircuitBreakerPolicy p) {
      enabled = p.enabled;
      failureRateThreshold = p.failureRateThreshold;
      windowType = p.windowType;
      slidingWindowSize = p.slidingWindowSize;
      minimumCalls = p.minimumCalls;
      waitInOpen = p.waitInOpen;
      permittedCallsInHalfOpen = p.permittedCallsInHalfOpen;
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

    public Builder waitInOpen(Duration waitInOpen) {
      this.waitInOpen = waitInOpen;
      return this;
    }

    public Builder permittedCallsInHalfOpen(int calls) {
      this.permittedCallsInHalfOpen = calls;
      return this;
    }

    public CircuitBreakerPolicy build() {
      return new CircuitBreakerPolicy(enabled, failureRateThreshold, windowType, slidingWindowSize, minimumCalls,
          waitInOpen, permittedCallsInHalfOpen);
    }
  }
}
