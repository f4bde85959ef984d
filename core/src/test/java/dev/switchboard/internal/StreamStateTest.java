package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-over between a stream's producer and an iterating consumer: order, completion,
 * failure, closing with a batch in hand, and back-pressure, including when the consumer takes
 * events in batches.
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
}
