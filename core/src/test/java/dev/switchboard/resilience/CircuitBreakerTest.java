package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.CallListener;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Circuit breaker per target: closed → open → half-open → closed, counting only the right kinds. */
class CircuitBreakerTest {
  private static final CircuitBreakerPolicy SMALL = CircuitBreakerPolicy.builder()
      .slidingWindowSize(4).minimumCalls(4).failureRateThreshold(50)
      .waitInOpen(Duration.ofSeconds(30)).permittedCallsInHalfOpen(2).build();

  private final Harness h = new Harness();
  private final List<String> transitions = new CopyOnWriteArrayList<>();
  private final CallListener.Factory recorder = call -> new CallListener() {
    @Override
    public void circuitStateChanged(TargetRef target, CircuitState from, CircuitState to) {
      transitions.add(target.deployment() + ":" + from + "->" + to);
    }
  };

  private Switchboard twoTargets(MockProvider a, MockProvider b) {
    return h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b"))
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .circuitBreaker(SMALL).callListenerFactory(recorder).build();
  }

  @Test
  void opensAfterFailuresThenProbesAndCloses() {
    MockProvider a = h.mock().thenFail(ErrorKind.SERVER_ERROR, 4).otherwiseReply("a is back");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = twoTargets(a, b)) {
      for (int i = 0; i < 4; i++) {
        assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:FAILED", "b:SUCCEEDED");
      }
      assertThat(transitions).containsExactly("a:CLOSED->OPEN");

      ChatResponse open = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(open)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(open.attempts().get(0).note()).contains("circuit open");
      a.assertCallCount(4);

      h.time.advance(Duration.ofSeconds(29));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SKIPPED", "b:SUCCEEDED");

      h.time.advance(Duration.ofMillis(1001)); // Resilience4j probes once the wait has strictly passed
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      assertThat(transitions).containsExactly("a:CLOSED->OPEN", "a:OPEN->HALF_OPEN");
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      assertThat(transitions).containsExactly("a:CLOSED->OPEN", "a:OPEN->HALF_OPEN", "a:HALF_OPEN->CLOSED");
    }
  }

  @Test
  void aFailedProbeReopensTheCircuit() {
    MockProvider a = h.mock().thenFail(ErrorKind.NETWORK, 6).otherwiseReply("a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = twoTargets(a, b)) {
      for (int i = 0; i < 4; i++) h.await(sb.chatAsync(request("chat")));
      h.time.advance(Duration.ofMillis(30_001));
      // Two probes: both fail, so the circuit opens again.
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(transitions).containsExactly("a:CLOSED->OPEN", "a:OPEN->HALF_OPEN", "a:HALF_OPEN->OPEN");
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SKIPPED", "b:SUCCEEDED");
    }
  }

  @ParameterizedTest
  @EnumSource(value = ErrorKind.class, names = {"SERVER_ERROR", "UNAVAILABLE", "TIMEOUT", "NETWORK", "PROTOCOL"})
  void countedKindsOpenTheCircuit(ErrorKind kind) {
    assertThat(openAfterFourFailures(kind)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = ErrorKind.class, names = {"AUTHENTICATION", "PERMISSION", "NOT_FOUND", "RATE_LIMITED", "QUOTA_EXCEEDED",
      "INVALID_REQUEST", "CONTENT_FILTERED", "CONTEXT_LENGTH_EXCEEDED"})
  void clientErrorsAndRateLimitsDoNotCount(ErrorKind kind) {
    assertThat(openAfterFourFailures(kind)).isFalse();
  }

  private boolean openAfterFourFailures(ErrorKind kind) {
    MockProvider a = h.mock().thenFail(kind, 4).otherwiseReply("a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b"))
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .circuitBreaker(SMALL.toBuilder().waitInOpen(Duration.ofHours(1)).build()).build()) {
      for (int i = 0; i < 4; i++) {
        h.failureOrSuccess(sb.chatAsync(request("chat")));
        h.time.advance(Duration.ofMinutes(2)); // past any cooldown or quota wait, not past the open wait
      }
      // The window holds four failures: open if they counted. A success now would close nothing.
      ChatResponse next = h.await(sb.chatAsync(request("chat")));
      return outcomes(next).get(0).equals("a:SKIPPED");
    }
  }

  @Test
  void whenEveryCircuitIsOpenTheLeastRecentlyFailedTargetIsTried() {
    MockProvider a = h.mock().thenFail(ErrorKind.UNAVAILABLE, 4).otherwiseReply("a recovered");
    MockProvider b = h.mock().otherwiseFail(ErrorKind.UNAVAILABLE);
    try (Switchboard sb = twoTargets(a, b)) {
      for (int i = 0; i < 4; i++) {
        h.failure(sb.chatAsync(request("chat")));
        h.time.advance(Duration.ofSeconds(1)); // b's failures come after a's in each call
      }
      assertThat(transitions).containsExactly("a:CLOSED->OPEN", "b:CLOSED->OPEN");
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      // a failed least recently (b failed after it in the last call), so a is tried despite its circuit.
      assertThat(outcomes(r)).containsExactly("a:SKIPPED", "b:SKIPPED", "a:SUCCEEDED");
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("every eligible target's circuit is open"));
      assertThat(transitions).endsWith("a:OPEN->HALF_OPEN");
    }
  }

  @Test
  void circuitRunsOnTheInjectedClock() {
    MockProvider a = h.mock().thenFail(ErrorKind.SERVER_ERROR, 4).otherwiseReply("a");
    MockProvider b = h.mock().otherwiseReply("b");
    try (Switchboard sb = twoTargets(a, b)) {
      for (int i = 0; i < 4; i++) h.await(sb.chatAsync(request("chat")));
      // No real time passes in this test; only the virtual clock moving makes the circuit probe again.
      for (int i = 0; i < 3; i++) assertThat(h.await(sb.chatAsync(request("chat"))).servedBy().deployment()).isEqualTo("b");
      h.time.advance(SMALL.waitInOpen().plusMillis(1));
      assertThat(h.await(sb.chatAsync(request("chat"))).servedBy().deployment()).isEqualTo("a");
    }
  }

  @Test
  void theOpenWaitGrowsOnEachFailedProbeUpToTheCapAndStartsShortAfterAClose() {
    // Defaults for the open wait (2 s, x2, cap 10 s, one probe); three failures in a row open it.
    CircuitBreakerPolicy policy = CircuitBreakerPolicy.builder().consecutiveFailures(3).build();
    assertThat(policy.permittedCallsInHalfOpen()).isEqualTo(1);
    MockProvider a = h.mock().thenFail(ErrorKind.SERVER_ERROR, 3 + 4).thenReply("a back").thenFail(ErrorKind.SERVER_ERROR, 3)
        .otherwiseReply("a again");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b"))
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .circuitBreaker(policy).callListenerFactory(recorder).build()) {
      for (int i = 0; i < 3; i++) h.await(sb.chatAsync(request("chat")));
      assertThat(transitions).containsExactly("a:CLOSED->OPEN");
      // Failed probes after 2 s, 4 s, 8 s, then the cap of 10 s.
      for (long wait : new long[] {2, 4, 8, 10}) {
        h.time.advance(Duration.ofSeconds(wait));
        assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).as("still open at %d s", wait)
            .containsExactly("a:SKIPPED", "b:SUCCEEDED");
        h.time.advance(Duration.ofMillis(1));
        assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).as("probe after %d s", wait)
            .containsExactly("a:FAILED", "b:SUCCEEDED");
      }
      // At the cap it stays: 10 s again, and this probe succeeds and closes the circuit.
      h.time.advance(Duration.ofSeconds(10));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      h.time.advance(Duration.ofMillis(1));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      assertThat(transitions).endsWith("a:HALF_OPEN->CLOSED");
      // A new outage opens it for the short first wait again.
      for (int i = 0; i < 3; i++) h.await(sb.chatAsync(request("chat")));
      assertThat(transitions).endsWith("a:CLOSED->OPEN");
      h.time.advance(Duration.ofMillis(2001));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      a.assertCallCount(3 + 4 + 1 + 3 + 1);
    }
  }

  @Test
  void consecutiveFailuresModeOpensOnlyOnAnUnbrokenRun() {
    MockProvider a = h.mock().thenFail(ErrorKind.NETWORK, 2).thenReply("ok").thenFail(ErrorKind.NETWORK, 2)
        .thenFail(ErrorKind.INVALID_REQUEST).thenFail(ErrorKind.NETWORK).otherwiseReply("a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b"))
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(3).build()).callListenerFactory(recorder).build()) {
      for (int i = 0; i < 5; i++) h.failureOrSuccess(sb.chatAsync(request("chat")));
      assertThat(transitions).as("fail, fail, success, fail, fail: no run of three").isEmpty();
      // A 400 is not the target's failure: it neither counts nor breaks the run.
      h.failureOrSuccess(sb.chatAsync(request("chat")));
      h.failureOrSuccess(sb.chatAsync(request("chat")));
      assertThat(transitions).containsExactly("a:CLOSED->OPEN");
    }
  }

  @Test
  void anExplicitCapShorterThanTheFirstWaitIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CircuitBreakerPolicy.builder()
        .waitInOpen(Duration.ofSeconds(30)).maxWaitInOpen(Duration.ofSeconds(5)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-wait-in-open");
    assertThat(CircuitBreakerPolicy.builder().waitInOpen(Duration.ofSeconds(30)).build().maxWaitInOpen())
        .isEqualTo(Duration.ofSeconds(30));
  }
}
