package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.Usage;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Streams: retry, failover and hedging until the first event reaches the caller, a partial-output
 * exception after it, the opt-in restart announced by a Reset, and the idle limit. Mock streams
 * play on worker threads, so the test waits (bounded) for their events before moving time.
 */
class StreamResilienceTest {
  private final Harness h = new Harness();
  private static final RoutingPolicy NO_RETRY = RoutingPolicy.builder().retry(RetryPolicy.NONE).build();

  /** Collects a stream's events through a listener. */
  static final class Collector implements ChatStreamListener {
    final List<ChatEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ChatEvent event) {
      events.add(event);
    }
  }

  private Switchboard twoTargets(MockProvider a, MockProvider b, RoutingPolicy policy) {
    return h.builder().deployment("a", a).deployment("b", b).model(alias("chat", policy, "a", "b")).build();
  }

  @Test
  void failoverBeforeTheFirstEventIsInvisible() {
    MockProvider a = h.mock().thenFail(ErrorKind.UNAVAILABLE);
    MockProvider b = h.mock().thenStream(StreamScript.builder().text("Hel").text("lo").usage(3, 2).build());
    try (Switchboard sb = twoTargets(a, b, NO_RETRY); ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      ChatResponse r = Harness.get(stream.response());
      assertThat(c.events).containsExactly(new ChatEvent.TextDelta("Hel"), new ChatEvent.TextDelta("lo"),
          new ChatEvent.UsageUpdate(Usage.of(3, 2)), new ChatEvent.Finish(FinishReason.STOP));
      assertThat(r.text()).isEqualTo("Hello");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
    }
  }

  @Test
  void streamRetriesWaitOnTheScheduler() {
    MockProvider a = h.mock().thenFail(ErrorKind.SERVER_ERROR).thenStream(StreamScript.text("second try"));
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build();
        ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      Harness.eventually(() -> h.time.pendingTasks() > 0 && a.callCount() == 1 && !h.time.pendingDueTimes().isEmpty()
          && h.time.pendingDueTimes().get(0).isBefore(h.now().plusSeconds(1)));
      h.time.advance(Duration.ofMillis(100)); // the jittered backoff is below 100 ms
      ChatResponse r = Harness.get(stream.response());
      assertThat(r.text()).isEqualTo("second try");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "a:SUCCEEDED");
    }
  }

  @Test
  void breakAfterTheFirstEventEndsWithThePartialOutput() {
    MockProvider a = h.mock().thenStream(StreamScript.builder().text("partial ").toolCall(0, "call-1", "lookup", "{\"q\":")
        .usage(12, 3).fail(ErrorKind.NETWORK));
    MockProvider b = h.mock().otherwiseReply("unused");
    try (Switchboard sb = twoTargets(a, b, RoutingPolicy.DEFAULTS); ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
        assertThat(e.partial().text()).isEqualTo("partial ");
        assertThat(e.partial().toolCalls()).singleElement().satisfies(t -> {
          assertThat(t.name()).isEqualTo("lookup");
          assertThat(t.arguments()).isEqualTo("{\"q\":");
        });
        assertThat(e.partial().usage()).contains(Usage.of(12, 3));
        assertThat(outcomes(e.attempts())).containsExactly("a:FAILED");
      });
      assertThat(c.events).hasSize(3);
      b.assertCallCount(0);
    }
  }

  @Test
  void optInRestartAnnouncesAResetAndContinuesOnTheNextTarget() {
    MockProvider a = h.mock().thenStream(StreamScript.builder().text("Hel").fail(ErrorKind.SERVER_ERROR));
    MockProvider b = h.mock().thenStream(StreamScript.builder().text("Hello ").text("world").build());
    RoutingPolicy restart = RoutingPolicy.builder().streamRestart(true).build();
    try (Switchboard sb = twoTargets(a, b, restart); ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      ChatResponse r = Harness.get(stream.response());
      assertThat(c.events).containsExactly(new ChatEvent.TextDelta("Hel"),
          new ChatEvent.Reset(new TargetRef("b", "mock", "m-b"), ErrorKind.SERVER_ERROR),
          new ChatEvent.TextDelta("Hello "), new ChatEvent.TextDelta("world"), new ChatEvent.Finish(FinishReason.STOP));
      assertThat(r.text()).isEqualTo("Hello world");
      assertThat(r.servedBy().deployment()).isEqualTo("b");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
    }
  }

  @Test
  void restartWithNoTargetLeftStillEndsWithThePartialOutput() {
    MockProvider a = h.mock().thenStream(StreamScript.builder().text("Hel").fail(ErrorKind.SERVER_ERROR));
    MockProvider b = h.mock().thenFail(ErrorKind.UNAVAILABLE);
    RoutingPolicy restart = RoutingPolicy.builder().streamRestart(true).build();
    try (Switchboard sb = twoTargets(a, b, restart); ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.partial().text()).isEqualTo("Hel");
        assertThat(outcomes(e.attempts())).containsExactly("a:FAILED", "b:FAILED");
      });
      assertThat(c.events).containsExactly(new ChatEvent.TextDelta("Hel"));
    }
  }

  @Test
  void aStreamThatStallsMidwayEndsAtTheIdleLimitWithTimeout() {
    MockProvider a = h.mock().thenStream(StreamScript.builder().text("par").text("tial").hang());
    RoutingPolicy idle = RoutingPolicy.builder().timeouts(Timeouts.builder().streamIdle(Duration.ofSeconds(3)).build()).build();
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", idle, "a")).build();
        ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      Instant start = h.now();
      Harness.eventually(() -> c.events.size() == 2 && h.time.pendingDueTimes().contains(start.plusSeconds(3)));
      h.time.advance(Duration.ofMillis(2999));
      assertThat(stream.response()).isNotDone();
      h.time.advance(Duration.ofMillis(1));
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.getMessage()).contains("stream idle limit");
        assertThat(e.partial().text()).isEqualTo("partial");
        assertThat(outcomes(e.attempts())).containsExactly("a:FAILED");
        assertThat(e.attempts().get(0).duration()).isEqualTo(Duration.ofSeconds(3));
      });
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void aStreamThatNeverStartsEndsAtTheDeadline() {
    MockProvider a = h.mock().thenHang();
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build();
        ChatStream stream = sb.stream(ChatRequest.builder("chat").user("hi").timeout(Duration.ofSeconds(5)).build())) {
      stream.listen(new Collector());
      Harness.eventually(() -> a.callCount() == 1);
      h.time.advance(Duration.ofSeconds(5));
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(SwitchboardException.class, e -> {
        assertThat(e).isNotInstanceOf(StreamInterruptedException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(outcomes(e.attempts())).containsExactly("a:FAILED");
        assertThat(e.attempts().get(0).errorKind()).contains(ErrorKind.TIMEOUT);
      });
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void aSilentTargetIsAbandonedAtTheFirstEventLimit() {
    MockProvider a = h.mock().thenHang();
    MockProvider b = h.mock().thenStream(StreamScript.text("from b"));
    RoutingPolicy firstEvent = RoutingPolicy.builder().retry(RetryPolicy.NONE)
        .timeouts(Timeouts.builder().firstEvent(Duration.ofSeconds(2)).build()).build();
    try (Switchboard sb = twoTargets(a, b, firstEvent); ChatStream stream = sb.stream(request("chat"))) {
      stream.listen(new Collector());
      Harness.eventually(() -> a.callCount() == 1);
      assertThat(a.lastCall().timeout()).isEqualTo(Duration.ofSeconds(2));
      h.time.advance(Duration.ofSeconds(2));
      ChatResponse r = Harness.get(stream.response());
      assertThat(r.text()).isEqualTo("from b");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(r.attempts().get(0).errorKind()).contains(ErrorKind.TIMEOUT);
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void hedgedStreamTakesTheFirstToProduceAnEventAndCancelsTheOther() {
    MockProvider a = h.mock().thenHang();
    MockProvider b = h.mock().thenStream(StreamScript.text("hedged"));
    RoutingPolicy hedged = RoutingPolicy.builder().hedging(HedgingPolicy.fixed(Duration.ofSeconds(1))).build();
    try (Switchboard sb = twoTargets(a, b, hedged); ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      Harness.eventually(() -> a.callCount() == 1);
      h.time.advance(Duration.ofSeconds(1));
      ChatResponse r = Harness.get(stream.response());
      assertThat(r.text()).isEqualTo("hedged");
      assertThat(outcomes(r)).containsExactly("a:CANCELLED", "b:SUCCEEDED");
      assertThat(r.attempts().get(1).hedge()).isTrue();
      assertThat(a.cancellations()).isEqualTo(1);
      assertThat(c.events).containsExactly(new ChatEvent.TextDelta("hedged"), new ChatEvent.Finish(FinishReason.STOP));
    }
  }

  @Test
  void closingTheStreamCancelsTheAttempt() {
    MockProvider a = h.mock().thenStream(StreamScript.builder().text("first").hang());
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build()) {
      ChatStream stream = sb.stream(request("chat"));
      Collector c = new Collector();
      stream.listen(c);
      Harness.eventually(() -> c.events.size() == 1);
      stream.close();
      Harness.eventually(() -> a.cancellations() == 1);
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(SwitchboardException.class,
          e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
    }
  }
}
