package dev.switchboard.testing;

import dev.switchboard.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock and scheduler whose time moves only when a test calls {@link #advance}. Due tasks run
 * on the thread calling {@code advance}, in time order (ties in scheduling order), with the clock
 * set to each task's due time. Pass it to the builder as both {@code clock} and
 * {@code scheduler} and a test covers minutes of backoff, cooldowns and deadlines in
 * microseconds, without sleeping. Thread-safe.
 */
public final class VirtualTime extends Clock implements Scheduler {
  private final Object lock = new Object();
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private Instant now;
  private long sequence;

  public VirtualTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public VirtualTime(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("VirtualTime is always UTC");
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    synchronized (lock) {
      Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
      tasks.add(t);
      return () -> {
        synchronized (lock) {
          tasks.remove(t);
        }
      };
    }
  }

  /** Moves time forward by {@code amount}, running every task that falls due on the way. */
  public void advance(Duration amount) {
    Instant target;
    synchronized (lock) {
      target = now.plus(amount);
    }
    while (true) {
      Task next;
      synchronized (lock) {
        next = tasks.peek();
        if (next == null || next.due.isAfter(target)) {
          now = target;
          return;
        }
        tasks.poll();
        if (next.due.isAfter(now)) now = next.due;
      }
      next.task.run();
    }
  }

  /** Runs the tasks already due without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** How many tasks are waiting. */
  public int pendingTasks() {
    synchronized (lock) {
      return tasks.size();
    }
  }

  /** The due times of waiting tasks, earliest first (for assertions). */
  public List<Instant> pendingDueTimes() {
    synchronized (lock) {
      List<Task> copy = new ArrayList<>(tasks);
      copy.sort(null);
      return copy.stream().map(t -> t.due).toList();
    }
  }

  private record Task(Instant due, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
