package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Scheduler;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
  private final VirtualTime time = new VirtualTime();
  private final TimerQueue timers = new TimerQueue(time, time);
  private final List<String> ran = new ArrayList<>();

  @Test
  void runsInDueOrderWithOneSchedulerTimerArmedForTheEarliest() {
    timers.schedule(300, () -> ran.add("300"));
    timers.schedule(100, () -> ran.add("100"));
    Scheduler.Cancellable cancelled = timers.schedule(200, () -> ran.add("200"));
    timers.schedule(100, () -> ran.add("100 again"));
    // Later timers than the armed one never touch the scheduler.
    for (int i = 0; i < 1000; i++) timers.schedule(120_000, () -> { }).cancel();
    assertThat(time.pendingTasks()).isEqualTo(1);
    cancelled.cancel();
    time.advance(Duration.ofMillis(99));
    assertThat(ran).isEmpty();
    time.advance(Duration.ofMillis(1));
    assertThat(ran).containsExactly("100", "100 again");
    time.advance(Duration.ofMillis(200));
    assertThat(ran).containsExactly("100", "100 again", "300");
  }

  @Test
  void anEarlierTimerRearmsAndTasksMayScheduleMore() {
    timers.schedule(1_000, () -> ran.add("late"));
    timers.schedule(10, () -> {
      ran.add("early");
      timers.schedule(0, () -> ran.add("chained"));
    });
    time.advance(Duration.ofMillis(10));
    assertThat(ran).containsExactly("early", "chained");
    time.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("early", "chained", "late");
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void aRefusingSchedulerLeavesNoTimerClaimedArmed() {
    boolean[] refuse = {true};
    TimerQueue q = new TimerQueue((delay, task) -> {
      if (refuse[0]) throw new java.util.concurrent.RejectedExecutionException("closed");
      return time.schedule(delay, task);
    }, time);
    try {
      q.schedule(10, () -> ran.add("refused"));
    } catch (java.util.concurrent.RejectedExecutionException expected) {
      // the caller learns the scheduler is gone
    }
    refuse[0] = false;
    q.schedule(20, () -> ran.add("accepted"));
    time.advance(Duration.ofMillis(20));
    assertThat(ran).containsExactly("refused", "accepted");
  }
}
