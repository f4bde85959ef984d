package dev.switchboard;

import java.time.Duration;

/**
 * Runs tasks after a delay: backoff waits, deadlines, mock latency. Injected so tests can use
 * {@link dev.switchboard.testing.VirtualTime} and never sleep. Implementations must be
 * thread-safe and must not run tasks on the calling thread of {@link #schedule}.
 */
public interface Scheduler {

  /** Runs {@code task} once after {@code delay}; the returned handle cancels it if not yet run. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A handle to stop a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
