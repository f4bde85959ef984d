package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.Usage;
import dev.switchboard.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-over between a stream's producer and its consumer: for an iterator, order,
 * completion, failure, closing with a batch in hand, and back-pressure, including when the
 * consumer takes events in batches; for a listener, delivery outside the lock (close() never waits
 * for a slow listener), exactly one terminal callback (also after close(), also when close() races
 * the end), order and no concurrent calls.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamStateTest {
  private static final ChatResponse DONE = ChatResponse.builder()
      .message(AssistantMessage.of("x"))
      .finishReason(FinishReason.STOP)
      .usage(Usage.EMPTY)
      .model("m")
      .servedBy(new TargetRef("d", "mock", "m"))
      .build();

  private static ChatEvent text(int i) {
    return new ChatEvent.TextDelta(Integer.toString(i));
  }

  @Test
  void anIteratorGetsEveryEventInOrderWhilePushesRace() throws Exception {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    state.chooseIterator();
    int n = 20_000;
    Thread producer = new Thread(() -> {
      for (int i = 0; i < n; i++) {
        if (!state.push(text(i))) throw new AssertionError("push refused at " + i);
      }
      state.complete(DONE);
    });
    producer.start();
    List<String> seen = new ArrayList<>(n);
    ChatEvent e;
    while ((e = state.take()) != null) seen.add(((ChatEvent.TextDelta) e).text());
    producer.join();
    assertThat(seen).hasSize(n);
    for (int i = 0; i < n; i++) assertThat(seen.get(i)).isEqualTo(Integer.toString(i));
    assertThat(state.take()).isNull();
  }

  @Test
  void eventsQueuedBeforeAFailureAreTakenThenTheFailureIsThrown() {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    state.chooseIterator();
    for (int i = 0; i < 3; i++) state.push(text(i));
    state.fail(SwitchboardException.of(ErrorKind.NETWORK, "connection reset"));
    assertThat(state.take()).isEqualTo(text(0));
    assertThat(state.take()).isEqualTo(text(1));
    assertThat(state.take()).isEqualTo(text(2));
    assertThatThrownBy(state::take).isInstanceOfSatisfying(SwitchboardException.class,
        ex -> assertThat(ex.kind()).isEqualTo(ErrorKind.NETWORK));
  }

  @Test
  void closingDropsTheRestOfABatchAlreadyTaken() {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    state.chooseIterator();
    AtomicBoolean cancelled = new AtomicBoolean();
    state.onCancel(() -> cancelled.set(true));
    for (int i = 0; i < 5; i++) state.push(text(i));
    assertThat(state.take()).isEqualTo(text(0)); // the other four are now in the consumer's batch
    state.close();
    assertThat(cancelled).isTrue();
    assertThatThrownBy(state::take).isInstanceOfSatisfying(SwitchboardException.class,
        ex -> assertThat(ex.kind()).isEqualTo(ErrorKind.CANCELLED));
    assertThat(state.push(text(9))).isFalse();
  }

  @Test
  void aWaitingIteratorWakesForTheNextEventAndForTheEnd() throws Exception {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    state.chooseIterator();
    CompletableFuture<List<ChatEvent>> consumer = CompletableFuture.supplyAsync(() -> {
      List<ChatEvent> got = new ArrayList<>();
      ChatEvent e;
      while ((e = state.take()) != null) got.add(e);
      return got;
    });
    state.push(text(1));
    Eventually.await("the consumer is waiting again", Duration.ofSeconds(10), state::consumerWaiting);
    state.push(text(2));
    state.complete(DONE);
    assertThat(consumer.get(10, TimeUnit.SECONDS)).containsExactly(text(1), text(2));
    assertThat(state.response()).isCompletedWithValue(DONE);
  }

  @Test
  void aProducerWaitsWhileTheQueueIsFullAndResumesWhenTheIteratorTakes() throws Exception {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    state.chooseIterator();
    int total = StreamState.CAPACITY * 3;
    CompletableFuture<Integer> producer = CompletableFuture.supplyAsync(() -> {
      int pushed = 0;
      for (int i = 0; i < total; i++) {
        if (state.push(text(i))) pushed++;
      }
      state.complete(DONE);
      return pushed;
    });
    Eventually.await("the producer blocks on a full queue", Duration.ofSeconds(10), state::producerWaiting);
    assertThat(producer).isNotDone();
    int taken = 0;
    while (state.take() != null) taken++;
    assertThat(producer.get(10, TimeUnit.SECONDS)).isEqualTo(total);
    assertThat(taken).isEqualTo(total);
  }

  @Test
  void interruptingAWaitingIteratorClosesTheStreamAndKeepsTheFlag() throws Exception {
    // Before the fix take() waited with awaitUninterruptibly(): the interrupt was ignored until the idle limit.
    StreamState state = new StreamState(Duration.ofSeconds(30));
    state.chooseIterator();
    AtomicBoolean cancelled = new AtomicBoolean();
    state.onCancel(() -> cancelled.set(true));
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread consumer = new Thread(() -> {
      try {
        outcome.complete(state.take());
      } catch (SwitchboardException e) {
        outcome.complete(List.of(e.kind(), Thread.currentThread().isInterrupted()));
      }
    });
    consumer.start();
    Eventually.await("the consumer is waiting", Duration.ofSeconds(10), state::consumerWaiting);
    consumer.interrupt();
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(List.of(ErrorKind.CANCELLED, true));
    assertThat(cancelled).isTrue();
    assertThat(state.push(text(1))).isFalse();
  }

  /** Records what a listener saw, as strings, and counts terminal callbacks. */
  private static class Recorder implements ChatStreamListener {
    final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger terminals = new AtomicInteger();
    final CompletableFuture<Object> terminal = new CompletableFuture<>();

    @Override
    public void onEvent(ChatEvent event) {
      seen.add(((ChatEvent.TextDelta) event).text());
    }

    @Override
    public void onComplete(ChatResponse response) {
      terminals.incrementAndGet();
      seen.add("complete");
      terminal.complete(response);
    }

    @Override
    public void onError(SwitchboardException error) {
      terminals.incrementAndGet();
      seen.add("error " + error.kind());
      terminal.complete(error);
    }
  }

  @Test
  void closeFromAnotherThreadReturnsWhileTheListenerIsStillInsideOnEvent() throws Exception {
    // Before the fix push() called the listener holding the lock close() needs: close() waited
    // for the listener (here until its 10 s bound ran out, after which it had returned).
    StreamState state = new StreamState(Duration.ofSeconds(30));
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    Recorder r = new Recorder() {
      @Override
      public void onEvent(ChatEvent event) {
        super.onEvent(event);
        inside.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        returned.set(true);
      }
    };
    state.chooseListener(r);
    AtomicBoolean cancelled = new AtomicBoolean();
    state.onCancel(() -> cancelled.set(true));
    CompletableFuture<Boolean> producer = CompletableFuture.supplyAsync(() -> state.push(text(1)));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    state.close(); // on the test thread, while the producer's thread is inside onEvent

    assertThat(returned).as("close() returned before the listener's callback did").isFalse();
    assertThat(cancelled).as("the call was cancelled at once").isTrue();
    assertThat(state.response()).isCompletedExceptionally();
    assertThat(r.terminals).as("no terminal callback while onEvent runs").hasValue(0);
    release.countDown();
    assertThat(producer.get(10, TimeUnit.SECONDS)).as("the producer is told to stop").isFalse();
    assertThat(r.terminal.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
    assertThat(r.seen).containsExactly("1", "error CANCELLED");
  }

  @Test
  void aClosedStreamGivesItsListenerExactlyOneOnErrorCancelled() {
    // Before the fix close() completed the future but never called the listener: no terminal callback at all.
    StreamState state = new StreamState(Duration.ofSeconds(30));
    Recorder r = new Recorder();
    state.chooseListener(r);
    assertThat(state.push(text(1))).isTrue();
    assertThat(state.push(text(2))).isTrue();
    state.close();
    state.close();
    assertThat(state.push(text(3))).isFalse();
    state.complete(DONE);
    state.fail(SwitchboardException.of(ErrorKind.NETWORK, "late"));
    assertThat(r.seen).containsExactly("1", "2", "error CANCELLED");
    assertThat(((SwitchboardException) r.terminal.join()).getMessage()).contains("stream closed by the caller");
  }

  @Test
  void aListenerRegisteredAfterCloseGetsOnErrorCancelled() {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    state.push(text(1));
    state.close();
    Recorder r = new Recorder();
    state.chooseListener(r);
    assertThat(r.seen).containsExactly("error CANCELLED");
  }

  @Test
  void aListenerThatClosesFromItsOwnCallbackGetsOnErrorAfterThatCallbackReturns() {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger depth = new AtomicInteger();
    state.chooseListener(new ChatStreamListener() {
      @Override
      public void onEvent(ChatEvent event) {
        order.add("enter " + ((ChatEvent.TextDelta) event).text() + " depth " + depth.incrementAndGet());
        state.close();
        order.add("leave");
        depth.decrementAndGet();
      }

      @Override
      public void onError(SwitchboardException error) {
        order.add("error " + error.kind() + " depth " + (depth.get() + 1));
      }
    });
    assertThat(state.push(text(1))).isFalse();
    assertThat(order).containsExactly("enter 1 depth 1", "leave", "error CANCELLED depth 1");
  }

  @Test
  void closeRacingTheEndGivesExactlyOneTerminalCallbackEveryTime() throws Exception {
    // Before the fix every iteration in which close() won the race ended with no terminal callback.
    int iterations = 2_000;
    int[] outcomes = new int[2]; // [0] ended normally, [1] ended by close
    for (int i = 0; i < iterations; i++) {
      StreamState state = new StreamState(Duration.ofSeconds(30));
      Recorder r = new Recorder();
      state.chooseListener(r);
      state.push(text(i));
      CyclicBarrier start = new CyclicBarrier(2);
      int k = i;
      Thread ender = new Thread(() -> {
        await(start);
        if (k % 2 == 0) state.complete(DONE);
        else state.fail(SwitchboardException.of(ErrorKind.NETWORK, "connection reset"));
      });
      ender.start();
      await(start);
      state.close();
      ender.join(10_000);
      assertThat(ender.isAlive()).isFalse();
      assertThat(r.terminals).as("terminal callbacks in iteration %d", i).hasValue(1);
      assertThat(r.seen).hasSize(2).startsWith(Integer.toString(i));
      Object end = r.terminal.join();
      outcomes[end instanceof SwitchboardException e && e.kind() == ErrorKind.CANCELLED ? 1 : 0]++;
    }
    assertThat(outcomes[0] + outcomes[1]).isEqualTo(iterations);
  }

  @Test
  void aListenerGetsEveryEventInOrderAndNeverConcurrentlyWhenListenRacesThePushes() throws Exception {
    StreamState state = new StreamState(Duration.ofSeconds(30));
    int n = 20_000;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    Recorder r = new Recorder() {
      @Override
      public void onEvent(ChatEvent event) {
        if (inside.incrementAndGet() != 1) overlaps.incrementAndGet();
        super.onEvent(event);
        inside.decrementAndGet();
      }
    };
    CountDownLatch someQueued = new CountDownLatch(100);
    Thread producer = new Thread(() -> {
      for (int i = 0; i < n; i++) {
        if (!state.push(text(i))) throw new AssertionError("push refused at " + i);
        someQueued.countDown();
      }
      state.complete(DONE);
    });
    producer.start();
    assertThat(someQueued.await(10, TimeUnit.SECONDS)).isTrue();
    state.chooseListener(r); // delivers what is queued on this thread while the producer continues
    assertThat(r.terminal.get(10, TimeUnit.SECONDS)).isEqualTo(DONE);
    producer.join(10_000);
    assertThat(overlaps).hasValue(0);
    assertThat(r.seen).hasSize(n + 1);
    for (int i = 0; i < n; i++) assertThat(r.seen.get(i)).isEqualTo(Integer.toString(i));
    assertThat(r.seen.get(n)).isEqualTo("complete");
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
