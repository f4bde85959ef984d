package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One deadline per call whatever the providers do; hedging with the loser cancelled. */
class DeadlineAndHedgingTest {
  private final Harness h = new Harness();

  @Test
  void aProviderThatNeverAnswersEndsAtTheDeadlineWithTimeoutAndTheTrace() {
    MockProvider a = h.mock().thenHang().thenHang();
    MockProvider b = h.mock().thenHang();
    RoutingPolicy policy = RoutingPolicy.builder().timeouts(Timeouts.builder().attempt(Duration.ofSeconds(2)).build()).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", policy, "a", "b")).build()) {
      var start = h.now();
      CompletableFuture<ChatResponse> call = sb.chatAsync(ChatRequest.builder("chat").user("hi").timeout(Duration.ofSeconds(5)).build());
      SwitchboardException e = h.failure(call);
      assertThat(Duration.between(start, h.now())).isLessThanOrEqualTo(Duration.ofSeconds(5));
      assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(e.getMessage()).contains("all targets of model alias 'chat' failed");
      // a timed out after its 2 s attempt limit and was not waited on again: b got the next 2 s.
      assertThat(outcomes(e.attempts())).containsExactly("a:FAILED", "b:FAILED");
      assertThat(e.attempts()).allSatisfy(x -> assertThat(x.errorKind()).contains(ErrorKind.TIMEOUT));
      Attempt last = e.attempts().get(1);
      assertThat(last.start().plus(last.duration())).isEqualTo(start.plus(Duration.ofSeconds(4)));
      assertThat(a.cancellations() + b.cancellations()).isEqualTo(2);
      a.assertCallCount(1);
      assertThat(a.calls().get(0).timeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(b.lastCall().timeout()).isEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void noAttemptOutlivesTheDeadlineEvenWithLongAttemptTimeouts() {
    MockProvider a = h.mock().thenHang().thenHang();
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a"))
        .routing(RoutingPolicy.builder().timeouts(Timeouts.builder().call(Duration.ofSeconds(3)).build()).build()).build()) {
      var start = h.now();
      SwitchboardException e = h.failure(sb.chatAsync(request("chat")));
      assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(h.now()).isEqualTo(start.plus(Duration.ofSeconds(3)));
      assertThat(a.calls().get(0).timeout()).isEqualTo(Duration.ofSeconds(3));
    }
  }

  @Test
  void hedgeWinsAndTheSlowPrimaryIsCancelled() {
    MockProvider a = h.mock().latency(Duration.ofSeconds(10)).otherwiseReply("slow a");
    MockProvider b = h.mock().latency(Duration.ofMillis(300)).otherwiseReply("fast b");
    RoutingPolicy hedged = RoutingPolicy.builder().hedging(HedgingPolicy.fixed(Duration.ofSeconds(1))).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", hedged, "a", "b")).build()) {
      var start = h.now();
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.text()).isEqualTo("fast b");
      assertThat(h.now()).isEqualTo(start.plus(Duration.ofMillis(1300)));
      assertThat(outcomes(r)).containsExactly("b:SUCCEEDED", "a:CANCELLED");
      assertThat(r.attempts().get(0).hedge()).isTrue();
      assertThat(r.attempts().get(1).note()).hasValueSatisfying(n -> assertThat(n).contains("lost to hedge on b"));
      assertThat(a.cancellations()).isEqualTo(1);
      assertThat(b.cancellations()).isZero();
    }
  }

  @Test
  void primaryThatAnswersBeforeTheHedgeDelayStartsNoHedge() {
    MockProvider a = h.mock().latency(Duration.ofMillis(500)).otherwiseReply("a");
    MockProvider b = h.mock().otherwiseReply("b");
    RoutingPolicy hedged = RoutingPolicy.builder().hedging(HedgingPolicy.fixed(Duration.ofSeconds(1))).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", hedged, "a", "b")).build()) {
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      b.assertCallCount(0);
    }
  }

  @Test
  void primaryWinningTheRaceCancelsTheHedge() {
    MockProvider a = h.mock().latency(Duration.ofMillis(1500)).otherwiseReply("a");
    MockProvider b = h.mock().latency(Duration.ofSeconds(5)).otherwiseReply("b");
    RoutingPolicy hedged = RoutingPolicy.builder().hedging(HedgingPolicy.fixed(Duration.ofSeconds(1))).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", hedged, "a", "b")).build()) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(r)).containsExactly("a:SUCCEEDED", "b:CANCELLED");
      assertThat(b.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void hedgeDelayFollowsThePrimarysRecentP95() {
    MockProvider a = h.mock().latency(Duration.ofMillis(200)).otherwiseReply("a");
    MockProvider b = h.mock().latency(Duration.ofMillis(50)).otherwiseReply("b");
    RoutingPolicy hedged = RoutingPolicy.builder().hedging(HedgingPolicy.p95(Duration.ofSeconds(3))).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", hedged, "a", "b")).build()) {
      for (int i = 0; i < HedgingPolicy.MIN_SAMPLES; i++) assertThat(h.await(sb.chatAsync(request("chat"))).text()).isEqualTo("a");
      b.assertCallCount(0); // until the p95 is known the 3 s fallback delay applies
      a.thenReply("slow a").thenDelay(Duration.ofSeconds(2));
      var start = h.now();
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.text()).isEqualTo("b");
      assertThat(h.now()).isEqualTo(start.plus(Duration.ofMillis(250))); // hedged after a's p95 of 200 ms
    }
  }

  @Test
  void callerCancellingTheFutureCancelsTheAttempt() {
    MockProvider a = h.mock().thenHang();
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build()) {
      CompletableFuture<ChatResponse> call = sb.chatAsync(request("chat"));
      call.cancel(true);
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }
}
