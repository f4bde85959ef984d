package dev.switchboard.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread makes true (a call cancelled, a connection
 * released), polling with a bound. It never waits for time itself to pass: the condition is
 * usually true within milliseconds, and the bound only keeps a broken build from hanging.
 */
public final class Eventually {
  private Eventually() {}

  public static void await(String what, Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not true within " + bound + ": " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }
}
