package dev.switchboard.examples.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The system clock plus an offset the demo can move forward. With {@code --fast} the demo skips
 * the waits for a cooldown or an open circuit by advancing this clock (which Switchboard's
 * cooldowns and circuit breakers run on) instead of sleeping; otherwise it is the system clock.
 */
public final class DemoClock extends Clock {
  private volatile long offsetNanos;

  @Override
  public Instant instant() {
    return Instant.now().plusNanos(offsetNanos);
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the demo clock is UTC only");
  }

  /** Moves this clock forward by {@code amount}. */
  public synchronized void advance(Duration amount) {
    Objects.requireNonNull(amount, "amount == null");
    if (amount.isNegative()) throw new IllegalArgumentException("amount < 0");
    offsetNanos += amount.toNanos();
  }
}
