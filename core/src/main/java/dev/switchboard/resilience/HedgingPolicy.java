package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Opt-in hedging: when an attempt has not answered (for a stream: produced its first event)
 * after a delay, the same request is also started on the next eligible target; the first
 * success wins and the other attempt is cancelled (its HTTP call too). Each hedge draws on the
 * switchboard's retry budget, so hedging cannot double the load of an outage.
 *
 * <p>The delay is fixed, or the primary target's recent 95th percentile latency (time to first
 * event for streams), falling back to {@link #delay()} until {@link #MIN_SAMPLES} samples exist.
 */
public record HedgingPolicy(boolean enabled, Mode mode, Duration delay, int maxHedges) {

  /** How many recent samples a target needs before its p95 is trusted. */
  public static final int MIN_SAMPLES = 20;

  /** How the hedge delay is chosen. */
  public enum Mode {
    /** Always {@link #delay()}. */
    FIXED,
    /** The primary target's recent p95 latency or time to first event; {@link #delay()} until known. */
    P95
  }

  public static final HedgingPolicy DISABLED = new HedgingPolicy(false, Mode.FIXED, Duration.ofSeconds(1), 1);

  public HedgingPolicy {
    Objects.requireNonNull(mode, "mode == null");
    Checks.positive(delay, "hedging.delay");
    if (maxHedges < 1) throw new IllegalArgumentException("hedging.max-hedges must be >= 1, got " + maxHedges);
  }

  /** Hedges once after a fixed {@code delay}. */
  public static HedgingPolicy fixed(Duration delay) {
    return new HedgingPolicy(true, Mode.FIXED, delay, 1);
  }

  /** Hedges once after the primary's recent p95, or {@code fallbackDelay} until that is known. */
  public static HedgingPolicy p95(Duration fallbackDelay) {
    return new HedgingPolicy(true, Mode.P95, fallbackDelay, 1);
  }

  /** The same policy allowing up to {@code maxHedges} extra attempts in flight per call. */
  public HedgingPolicy withMaxHedges(int maxHedges) {
    return new HedgingPolicy(enabled, mode, delay, maxHedges);
  }
}
