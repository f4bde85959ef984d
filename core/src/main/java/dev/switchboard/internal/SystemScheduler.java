package dev.switchboard.internal;

import dev.switchboard.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real-time scheduler: one daemon thread that only hands tasks over, never runs them long.
 * Cancelled tasks are removed at once so deadlines of finished calls do not pile up.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final ScheduledThreadPoolExecutor executor;

  public SystemScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "switchboard-scheduler-" + IDS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
