package dev.switchboard.internal;

import dev.switchboard.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All of a switchboard's call timers (deadlines, backoff, hedges, idle checks) in one sorted set,
 * with a single timer on the injected {@link Scheduler} armed for the earliest. Every call
 * arms a deadline and almost always cancels it; handing each one to a
 * {@code ScheduledThreadPoolExecutor} would wake its thread once per call. Here a timer later
 * than the armed one costs a skip-list insert and remove, and the scheduler is only touched
 * when the earliest timer changes. The scheduler's thread only hands due tasks over, in due
 * order, to the hand-off executor (the engine's worker threads; a zero-delay task on the scheduler
 * itself when it is an injected one such as {@code VirtualTime}), so a retry that encodes a
 * request body never delays another call's deadline.
 */
final class TimerQueue {
  private static final Logger log = LoggerFactory.getLogger(TimerQueue.class);

  private final Scheduler scheduler;
  private final Clock clock;
  private final Executor handOff;
  private final ConcurrentSkipListMap<Timer, Boolean> timers = new ConcurrentSkipListMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Object armLock = new Object();
  private volatile long armedFor = Long.MAX_VALUE;
  private Scheduler.Cancellable armed;

  /** Due tasks are handed to {@code scheduler} again as zero-delay tasks. */
  TimerQueue(Scheduler scheduler, Clock clock) {
    this(scheduler, clock, null);
  }

  /** Due tasks are handed to {@code handOff} (null: to {@code scheduler} as zero-delay tasks). */
  TimerQueue(Scheduler scheduler, Clock clock, Executor handOff) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.handOff = handOff != null ? handOff : task -> scheduler.schedule(Duration.ZERO, task);
  }

  /** One pending task; {@link #cancel} removes it. */
  final class Timer implements Comparable<Timer>, Scheduler.Cancellable {
    final long due;
    final long seq;
    final Runnable task;

    Timer(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public void cancel() {
      timers.remove(this);
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** Runs {@code task} {@code delayMillis} from now on the clock. */
  Scheduler.Cancellable schedule(long delayMillis, Runnable task) {
    Timer t = new Timer(clock.millis() + Math.max(0, delayMillis), sequence.getAndIncrement(), task);
    timers.put(t, Boolean.TRUE);
    if (t.due < armedFor) arm(t.due);
    return t;
  }

  private void arm(long due) {
    synchronized (armLock) {
      if (due >= armedFor) return;
      // Schedule first: if the scheduler refuses (closed), nothing here claims a timer is armed.
      Scheduler.Cancellable next = scheduler.schedule(Duration.ofMillis(Math.max(0, due - clock.millis())), this::fire);
      if (armed != null) armed.cancel();
      armed = next;
      armedFor = due;
    }
  }

  private void fire() {
    synchronized (armLock) {
      armedFor = Long.MAX_VALUE;
      armed = null;
    }
    long now = clock.millis();
    Timer t;
    while ((t = first()) != null && t.due <= now) {
      if (timers.remove(t) == null) continue; // cancelled meanwhile
      try {
        handOff.execute(t.task);
      } catch (RejectedExecutionException closed) {
        runHere(t.task); // the switchboard is closing: the task ends its call, it starts nothing
      } catch (RuntimeException e) {
        log.error("timer task could not be handed over", e);
      }
    }
    Timer next = first();
    if (next != null) arm(next.due);
  }

  private static void runHere(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("timer task failed", e);
    }
  }

  private Timer first() {
    Map.Entry<Timer, Boolean> e = timers.firstEntry();
    return e == null ? null : e.getKey();
  }
}
