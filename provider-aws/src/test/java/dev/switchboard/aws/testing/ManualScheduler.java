package dev.switchboard.aws.testing;

import dev.switchboard.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler that runs nothing by itself: tests fire the pending tasks when they choose. */
public final class ManualScheduler implements Scheduler {
  private final List<Task> tasks = new ArrayList<>();

  private static final class Task {
    final Duration delay;
    final Runnable runnable;
    boolean cancelled;

    Task(Duration delay, Runnable runnable) {
      this.delay = delay;
      this.runnable = runnable;
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(delay, task);
    tasks.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        t.cancelled = true;
      }
    };
  }

  /** Runs every task not cancelled, as if its delay had passed. */
  public void fireAll() {
    List<Task> due;
    synchronized (this) {
      due = new ArrayList<>(tasks);
      tasks.clear();
    }
    for (Task t : due) {
      boolean run;
      synchronized (this) {
        run = !t.cancelled;
      }
      if (run) t.runnable.run();
    }
  }

  public synchronized int pending() {
    int n = 0;
    for (Task t : tasks) if (!t.cancelled) n++;
    return n;
  }
}
