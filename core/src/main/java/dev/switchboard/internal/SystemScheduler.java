package dev.switchboard.internal;

import dev.switchboard.Scheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real-time scheduler: one daemon thread that only hands tasks over, never runs them long.
 * Cancelled tasks are removed at once so deadlines of finished calls do not pile up.
 *
 * <p>The work a timer hands over (a retry that encodes and sends a request, a hedge, a deadline
 * that cancels attempts) and the work a provider's callback thread hands over (a failure that
 * may start the next attempt) runs on its {@link #worker()}: a few daemon threads, none kept
 * while idle.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final ScheduledThreadPoolExecutor executor;
  private final ThreadPoolExecutor worker;

  public SystemScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "switchboard-scheduler-" + IDS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    worker = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "switchboard-worker-" + IDS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    worker.allowCoreThreadTimeOut(true);
  }

  /** Runs engine work handed over by timers and provider threads, off the scheduler's thread. */
  public Executor worker() {
    return worker;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    worker.shutdown(); // what was handed over still runs: it ends calls, it starts none once the engine closed
  }
}
