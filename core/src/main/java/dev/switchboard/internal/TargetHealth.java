package dev.switchboard.internal;

import dev.switchboard.TargetRef;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.HedgingPolicy;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.routing.TargetStats;
import dev.switchboard.state.SharedTarget;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything Switchboard tracks about one target (a deployment and a provider-side model),
 * shared by every alias that routes to it: circuit breaker, bulkhead, cooldown after 429, quota,
 * latency and time-to-first-event statistics, and attempts in flight. Lock-free on the hot path.
 */
final class TargetHealth implements TargetStats {
  final TargetRef ref;
  final CircuitGate circuit;
  final BulkheadGate bulkhead;
  final QuotaTracker quota;
  final LatencyStats latency = new LatencyStats(HedgingPolicy.MIN_SAMPLES);
  final LatencyStats ttft = new LatencyStats(HedgingPolicy.MIN_SAMPLES);
  final AtomicInteger inFlight = new AtomicInteger();
  private final Clock clock;
  private volatile long coolUntil = Long.MIN_VALUE;
  private volatile long lastFailure = Long.MIN_VALUE;
  private volatile dev.switchboard.ErrorKind lastErrorKind;
  private volatile long lastErrorAt;
  private final SharedTarget shared;

  TargetHealth(TargetRef ref, CircuitBreakerPolicy circuitPolicy, BulkheadPolicy bulkheadPolicy, TargetLimits limits,
      Clock clock) {
    this(ref, circuitPolicy, bulkheadPolicy, limits, clock, null);
  }

  /** {@code shared}, if not null, is told of cooldowns and quota use and tells of other instances'. */
  TargetHealth(TargetRef ref, CircuitBreakerPolicy circuitPolicy, BulkheadPolicy bulkheadPolicy, TargetLimits limits,
      Clock clock, SharedTarget shared) {
    this.ref = ref;
    this.clock = clock;
    this.shared = shared;
    this.circuit = new CircuitGate(ref, circuitPolicy, clock, shared);
    this.bulkhead = bulkheadPolicy.limited() ? new BulkheadGate(ref, bulkheadPolicy) : null;
    this.quota = new QuotaTracker(limits, shared);
  }

  /** Skip this target until {@code until} (epoch ms on the switchboard's clock). */
  void coolDownUntil(long until) {
    if (until > coolUntil) coolUntil = until;
    if (shared != null) shared.coolDownUntil(until);
  }

  /** Milliseconds of cooldown left, 0 when none. */
  long coolingRemaining(long now) {
    long until = shared == null ? coolUntil : Math.max(coolUntil, shared.cooldownUntil());
    return until > now ? until - now : 0; // compare first: MIN_VALUE - now would overflow
  }

  void failedAt(long now) {
    lastFailure = now;
  }

  long lastFailure() {
    return lastFailure;
  }

  /** Remembers the last error this target answered with, of any kind (for {@link #status}). */
  void errorSeen(dev.switchboard.ErrorKind kind, long now) {
    lastErrorAt = now;
    lastErrorKind = kind;
  }

  dev.switchboard.TargetStatus status(long now) {
    dev.switchboard.ErrorKind kind = lastErrorKind;
    return new dev.switchboard.TargetStatus(ref, circuit.state(), java.time.Duration.ofMillis(coolingRemaining(now)),
        java.util.Optional.ofNullable(kind),
        kind == null ? java.util.Optional.empty() : java.util.Optional.of(java.time.Instant.ofEpochMilli(lastErrorAt)));
  }

  @Override
  public double latencyMillis() {
    return latency.average();
  }

  @Override
  public double timeToFirstEventMillis() {
    return ttft.average();
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public double quotaRemaining() {
    return quota.fraction(clock.millis());
  }

  @Override
  public String toString() {
    return ref.toString();
  }
}
