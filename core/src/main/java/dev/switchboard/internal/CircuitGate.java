package dev.switchboard.internal;

import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CircuitState;
import dev.switchboard.state.SharedTarget;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's Resilience4j circuit breaker, driven by hand (acquire a permission, then record
 * the outcome) because calls are asynchronous. It runs on the switchboard's clock, so the open
 * wait and the move to half-open follow {@code VirtualTime} in tests; the move happens lazily
 * when the next call asks for a permission (no Resilience4j scheduler thread is used).
 *
 * <p>Only {@link CircuitBreakerPolicy#COUNTED_KINDS} are recorded as errors. Any other ending
 * (client errors, 429, a cancelled attempt) releases the permission without counting, so a
 * half-open probe that was cancelled frees its slot instead of wedging the circuit.
 */
final class CircuitGate {
  private static final Logger log = LoggerFactory.getLogger(CircuitGate.class);

  private final CircuitBreaker breaker;
  private final Clock clock;
  private final SharedTarget shared;
  private volatile long openedAt = Long.MIN_VALUE;

  CircuitGate(TargetRef ref, CircuitBreakerPolicy policy, Clock clock) {
    this(ref, policy, clock, null);
  }

  /**
   * {@code shared}, if not null, hears when this circuit closes after a probe, and tells when
   * another instance's did: an open circuit then probes at once instead of waiting out its
   * interval. Shared hints never open a circuit; its window stays this instance's own.
   */
  CircuitGate(TargetRef ref, CircuitBreakerPolicy policy, Clock clock, SharedTarget shared) {
    this.clock = clock;
    this.shared = shared;
    if (!policy.enabled()) {
      breaker = null;
      return;
    }
    CircuitBreakerConfig.Builder config = CircuitBreakerConfig.custom();
    if (policy.countsConsecutiveFailures()) {
      // N failures in a row = every one of the last N recorded calls failed: a count window of N
      // at 100 %. Calls that do not count are released, not recorded, so they do not break the run.
      int n = policy.consecutiveFailures();
      config.failureRateThreshold(100).slidingWindow(n, n, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
    } else {
      config.failureRateThreshold(policy.failureRateThreshold())
          .slidingWindow(policy.slidingWindowSize(), policy.minimumCalls(),
              policy.windowType() == CircuitBreakerPolicy.WindowType.COUNT
                  ? CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                  : CircuitBreakerConfig.SlidingWindowType.TIME_BASED);
    }
    // Resilience4j numbers its openings since the last close (1 = opened from closed, 2 = the first
    // failed probe, ...) and asks the interval function for each, so the wait grows while probes
    // fail and starts short again after a close.
    config.waitIntervalFunctionInOpenState(opening -> policy.waitInOpen(opening - 1).toMillis())
        .permittedNumberOfCallsInHalfOpenState(policy.permittedCallsInHalfOpen())
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .clock(clock)
        .currentTimestampFunction(Clock::millis, TimeUnit.MILLISECONDS);
    // No Resilience4j event consumer: with one registered, every recorded call allocates an
    // event; transitions are seen (and logged) in notify() instead, since only our calls cause them.
    breaker = CircuitBreaker.of(ref.toString(), config.build());
  }

  CircuitState state() {
    return breaker == null ? CircuitState.DISABLED : map(breaker.getState());
  }

  /** Asks for a permission; null when granted, else why not. */
  String tryAcquire(CallListener listener, TargetRef ref) {
    if (breaker == null) return null;
    CircuitBreaker.State before = breaker.getState();
    if (before == CircuitBreaker.State.OPEN && shared != null && shared.recoveredAt() > openedAt) {
      try {
        breaker.transitionToHalfOpenState(); // another instance saw it recover after we opened: probe now
      } catch (RuntimeException e) {
        // Another thread moved it first; nothing to do.
      }
    }
    boolean permitted = breaker.tryAcquirePermission();
    notify(listener, ref, before);
    if (permitted) return null;
    return breaker.getState() == CircuitBreaker.State.HALF_OPEN ? "circuit half-open, its probe calls are in flight" : "circuit open";
  }

  /** Records the end of a permitted call: {@code kind} null for success. */
  void record(ErrorKind kind, SwitchboardException error, long millis, CallListener listener, TargetRef ref) {
    if (breaker == null) return;
    CircuitBreaker.State before = breaker.getState();
    if (kind == null) {
      breaker.onSuccess(millis, TimeUnit.MILLISECONDS);
    } else if (CircuitBreakerPolicy.counts(kind)) {
      breaker.onError(millis, TimeUnit.MILLISECONDS, error);
    } else {
      breaker.releasePermission();
    }
    notify(listener, ref, before);
  }

  /** Frees a permission whose call never produced an outcome (cancelled, never sent). */
  void release() {
    if (breaker != null) breaker.releasePermission();
  }

  /**
   * A call made while the circuit was open (every target was open) succeeded: let probes through
   * now instead of waiting out the open period.
   */
  void bypassSucceeded(CallListener listener, TargetRef ref) {
    if (breaker == null) return;
    CircuitBreaker.State before = breaker.getState();
    if (before == CircuitBreaker.State.OPEN) {
      try {
        breaker.transitionToHalfOpenState();
      } catch (RuntimeException e) {
        // Another thread moved it first; nothing to do.
      }
    }
    notify(listener, ref, before);
  }

  private void notify(CallListener listener, TargetRef ref, CircuitBreaker.State before) {
    CircuitBreaker.State after = breaker.getState();
    if (after == before) return;
    if (after == CircuitBreaker.State.OPEN) openedAt = clock.millis();
    if (shared != null && after == CircuitBreaker.State.CLOSED && before == CircuitBreaker.State.HALF_OPEN) {
      shared.circuitRecovered();
    }
    if (after == CircuitBreaker.State.OPEN) {
      log.warn("circuit of target {} opened ({} -> {}); it is skipped until a probe succeeds", ref, before, after);
    } else if (log.isDebugEnabled()) {
      log.debug("circuit of target {}: {} -> {}", ref, before, after);
    }
    listener.circuitStateChanged(ref, map(before), map(after));
  }

  private static CircuitState map(CircuitBreaker.State s) {
    return switch (s) {
      case CLOSED -> CircuitState.CLOSED;
      case HALF_OPEN -> CircuitState.HALF_OPEN;
      case OPEN, FORCED_OPEN -> CircuitState.OPEN;
      default -> CircuitState.DISABLED;
    };
  }
}
