package dev.switchboard.testing;

import dev.switchboard.Scheduler;
import dev.switchboard.internal.SystemScheduler;
import java.time.Duration;

/**
 * The real-time {@link Scheduler} core uses when none is configured (one daemon thread that only
 * hands tasks over), for tests that drive a provider against a real loopback server. Tests that
 * wait for time to pass use {@link VirtualTime} instead. Close it to stop its thread.
 */
public final class RealTimeScheduler implements Scheduler, AutoCloseable {
  private final SystemScheduler delegate = new SystemScheduler();

  /** A scheduler with its own daemon thread. */
  public RealTimeScheduler() {}

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    return delegate.schedule(delay, task);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
