package dev.switchboard.reliability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition another thread makes true (a connection released, a thread ended),
 * polling with a bound that only keeps a broken build from hanging; the failure message is built
 * when the bound is reached, so it shows the final state. Never used to let time pass.
 */
final class Waits {
  private Waits() {}

  static void until(Duration bound, BooleanSupplier condition, Supplier<String> failure) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError(failure.get() + " (waited " + bound + ")");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
