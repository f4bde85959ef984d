package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
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
 * A stream's time limits on virtual time: which one bounds the wait for the first event
 * ({@code first-event}, else {@code attempt}, else the derived third of the deadline while another
 * target is left) and the optional total limit on the whole stream.
 */
class StreamLimitsTest {
  private final Harness h = new Harness();

  private Switchboard twoTargets(MockProvider a, MockProvider b, RoutingPolicy policy) {
    return h.builder().deployment("a", a).deployment("b", b).model(alias("chat", policy, "a", "b")).build();
  }

  private static RoutingPolicy timeouts(Timeouts t) {
    return RoutingPolicy.builder().timeouts(t).build();
  }

  private static List<ChatEvent> listen(ChatStream stream) {
    List<ChatEvent> events = new CopyOnWriteArrayList<>();
    stream.listen(events::add);
    return events;
  }

  @Test
  void attemptBoundsAStreamsWaitForItsFirstEventWhenFirstEventIsUnset() {
    MockProvider a = h.mock().thenHang();
    MockProvider b = h.mock().thenStream(StreamScript.text("from b"));
    try (Switchboard sb = twoTargets(a, b, timeouts(Timeouts.builder().attempt(Duration.ofSeconds(2)).build()));
        ChatStream stream = sb.stream(request("chat"))) {
      listen(stream);
      Harness.eventually(() -> a.callCount() == 1);
      assertThat(a.lastCall().timeout()).isEqualTo(Duration.ofSeconds(2));
      h.time.advance(Duration.ofMillis(1999));
      assertThat(b.callCount()).isZero();
      h.time.advance(Duration.ofMillis(1));
      ChatResponse r = Harness.get(stream.response());
      assertThat(r.text()).isEqualTo("from b");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(r.attempts().get(0).errorKind()).contains(ErrorKind.TIMEOUT);
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void firstEventWinsOverAttemptForStreams() {
    MockProvider a = h.mock().thenHang();
    MockProvider b = h.mock().thenStream(StreamScript.text("from b"));
    Timeouts both = Timeouts.builder().attempt(Duration.ofSeconds(5)).firstEvent(Duration.ofSeconds(2)).build();
    try (Switchboard sb = twoTargets(a, b, timeouts(both)); ChatStream stream = sb.stream(request("chat"))) {
      listen(stream);
      Harness.eventually(() -> a.callCount() == 1);
      assertThat(a.lastCall().timeout()).isEqualTo(Duration.ofSeconds(2));
      h.time.advance(Duration.ofSeconds(2));
      assertThat(Harness.get(stream.response()).text()).isEqualTo("from b");
    }
  }

  @Test
  void withDefaultsASilentStreamIsLeftAfterAThirdOfTheDeadlineAndTheLastTargetGetsTheRest() {
    MockProvider a = h.mock().thenHang();
    MockProvider b = h.mock().thenHang();
    try (Switchboard sb = twoTargets(a, b, RoutingPolicy.DEFAULTS); ChatStream stream = sb.stream(request("chat"))) {
      listen(stream);
      Harness.eventually(() -> a.callCount() == 1);
      assertThat(a.lastCall().timeout()).isEqualTo(Duration.ofSeconds(40));
      h.time.advance(Duration.ofSeconds(40));
      Harness.eventually(() -> b.callCount() == 1);
      assertThat(b.lastCall().timeout()).as("the last target gets what is left of the 120 s").isEqualTo(Duration.ofSeconds(80));
      h.time.advance(Duration.ofSeconds(80));
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(SwitchboardException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(outcomes(e.attempts())).containsExactly("a:FAILED", "b:FAILED");
      });
    }
  }

  /** A stream trickling one token per 50 s never trips the 60 s idle limit; the total limit ends it. */
  private static StreamScript trickle() {
    return StreamScript.builder().text("a").delay(Duration.ofSeconds(50)).text("b").delay(Duration.ofSeconds(50)).text("c")
        .delay(Duration.ofSeconds(50)).text("d").build();
  }

  @Test
  void aStreamLongerThanItsTotalLimitEndsWithTimeoutAndItsPartialOutput() {
    MockProvider a = h.mock().thenStream(trickle());
    MockProvider b = h.mock().otherwiseReply("unused");
    // Restart opted in, and still no restart: the time is up wherever the stream would run.
    RoutingPolicy policy = RoutingPolicy.builder().streamRestart(true)
        .timeouts(Timeouts.builder().streamTotal(Duration.ofMinutes(2)).build()).build();
    try (Switchboard sb = twoTargets(a, b, policy); ChatStream stream = sb.stream(request("chat"))) {
      Instant start = h.now();
      List<ChatEvent> events = listen(stream);
      for (int i = 1; i <= 3; i++) {
        int n = i;
        Instant nextPause = start.plusSeconds(50L * i);
        Harness.eventually(() -> events.size() == n && h.time.pendingDueTimes().contains(nextPause));
        if (i < 3) h.time.advance(Duration.ofSeconds(50));
      }
      h.time.advance(Duration.ofMillis(19_999)); // 119.999 s after the start
      assertThat(stream.response()).isNotDone();
      h.time.advance(Duration.ofMillis(1));
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.getMessage()).contains("total limit of 120000 ms");
        assertThat(e.partial().text()).isEqualTo("abc");
        assertThat(outcomes(e.attempts())).containsExactly("a:FAILED");
      });
      assertThat(a.cancellations()).isEqualTo(1);
      b.assertCallCount(0);
    }
  }

  @Test
  void withoutATotalLimitTheTrickleRunsToItsEnd() {
    MockProvider a = h.mock().thenStream(trickle());
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build();
        ChatStream stream = sb.stream(request("chat"))) {
      Instant start = h.now();
      List<ChatEvent> events = listen(stream);
      for (int i = 1; i <= 3; i++) {
        int n = i;
        Instant nextPause = start.plusSeconds(50L * i);
        Harness.eventually(() -> events.size() == n && h.time.pendingDueTimes().contains(nextPause));
        h.time.advance(Duration.ofSeconds(50));
      }
      assertThat(Harness.get(stream.response()).text()).isEqualTo("abcd");
    }
  }

  @Test
  void aTotalLimitThatPassesBeforeTheFirstEventEndsTheCallWithTimeout() {
    MockProvider a = h.mock().thenHang();
    try (Switchboard sb = h.builder().deployment("a", a)
        .model(alias("chat", timeouts(Timeouts.builder().streamTotal(Duration.ofSeconds(5)).build()), "a")).build();
        ChatStream stream = sb.stream(request("chat"))) {
      listen(stream);
      Harness.eventually(() -> a.callCount() == 1);
      h.time.advance(Duration.ofSeconds(5));
      assertThatThrownBy(() -> Harness.get(stream.response())).isInstanceOfSatisfying(SwitchboardException.class, e -> {
        assertThat(e).isNotInstanceOf(StreamInterruptedException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.getMessage()).contains("total limit of 5000 ms");
        assertThat(outcomes(e.attempts())).containsExactly("a:FAILED");
      });
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }
}
