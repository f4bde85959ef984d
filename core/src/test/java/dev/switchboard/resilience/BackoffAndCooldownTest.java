package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter, Retry-After against the deadline, cooldown after 429. */
class BackoffAndCooldownTest {
  private final Harness h = new Harness();

  @Test
  void fullJitterStaysBelowTheExponentialCapAndTheRemainingDeadline() {
    RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).build();
    assertThat(p.backoffCapNanos(0)).isEqualTo(100_000_000L);
    assertThat(p.backoffCapNanos(1)).isEqualTo(200_000_000L);
    assertThat(p.backoffCapNanos(3)).isEqualTo(800_000_000L);
    assertThat(p.backoffCapNanos(4)).isEqualTo(1_000_000_000L);
    assertThat(p.backoffCapNanos(40)).isEqualTo(1_000_000_000L);
    Random random = new Random(7);
    double sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      long d = p.jitteredBackoffNanos(2, Long.MAX_VALUE, random);
      assertThat(d).isBetween(0L, 400_000_000L - 1);
      sum += d;
    }
    // Full jitter is uniform over [0, cap): its mean is cap / 2.
    assertThat(sum / n).isCloseTo(200_000_000.0, org.assertj.core.data.Offset.offset(6_000_000.0));
    for (int i = 0; i < 1000; i++) {
      assertThat(p.jitteredBackoffNanos(3, 50_000_000L, random)).isBetween(0L, 50_000_000L - 1);
    }
    assertThat(p.jitteredBackoffNanos(3, 0, random)).isZero();
  }

  @Test
  void retryWaitsAJitteredBackoffOnTheScheduler() {
    MockProvider a = h.mock().thenFail(ErrorKind.SERVER_ERROR).thenFail(ErrorKind.SERVER_ERROR).thenReply("third time");
    RoutingPolicy twoRetries = RoutingPolicy.builder().retry(RetryPolicy.builder().maxRetries(2).build()).build();
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", twoRetries, "a")).build()) {
      var call = sb.chatAsync(request("chat"));
      assertThat(call).isNotDone(); // waiting for the backoff timer: no thread is blocked
      ChatResponse r = h.await(call);
      assertThat(outcomes(r)).containsExactly("a:FAILED", "a:FAILED", "a:SUCCEEDED");
      Duration first = Duration.between(r.attempts().get(0).start(), r.attempts().get(1).start());
      Duration second = Duration.between(r.attempts().get(1).start(), r.attempts().get(2).start());
      assertThat(first).isLessThan(Duration.ofMillis(100));
      assertThat(second).isLessThan(Duration.ofMillis(200));
    }
  }

  @Test
  void retryAfterThatFitsIsHonoured() {
    MockProvider a = h.mock().thenFail(retryAfter(ErrorKind.UNAVAILABLE, Duration.ofSeconds(1))).thenReply("after wait");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = twoTargets(a, b)) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(r)).containsExactly("a:FAILED", "a:SUCCEEDED");
      assertThat(Duration.between(r.attempts().get(0).start(), r.attempts().get(1).start())).isEqualTo(Duration.ofSeconds(1));
      b.assertCallCount(0);
    }
  }

  @Test
  void retryAfterLongerThanTheLimitFailsOverAtOnce() {
    MockProvider a = h.mock().thenFail(retryAfter(ErrorKind.UNAVAILABLE, Duration.ofSeconds(30))).otherwiseReply("unused");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = twoTargets(a, b)) {
      var start = h.now();
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(r.attempts().get(1).start()).isEqualTo(start);
      assertThat(r.attempts().get(0).retryAfter()).contains(Duration.ofSeconds(30));
    }
  }

  @Test
  void retryAfterBeyondTheDeadlineFailsOverAtOnce() {
    MockProvider a = h.mock().thenFail(retryAfter(ErrorKind.UNAVAILABLE, Duration.ofSeconds(5))).otherwiseReply("unused");
    MockProvider b = h.mock().otherwiseReply("from b");
    RoutingPolicy patient = RoutingPolicy.builder().retry(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).build()).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", patient, "a", "b")).build()) {
      var start = h.now();
      ChatResponse r = h.await(sb.chatAsync(ChatRequest.builder("chat").user("hi").timeout(Duration.ofSeconds(3)).build()));
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(r.attempts().get(1).start()).isEqualTo(start);

      // The same Retry-After within a longer deadline is waited for.
      a.thenFail(retryAfter(ErrorKind.UNAVAILABLE, Duration.ofSeconds(5))).thenReply("a after 5 s");
      ChatResponse waited = h.await(sb.chatAsync(ChatRequest.builder("chat").user("hi").timeout(Duration.ofSeconds(30)).build()));
      assertThat(waited.text()).isEqualTo("a after 5 s");
    }
  }

  @Test
  void rateLimitedTargetCoolsDownForItsRetryAfterAndComesBack() {
    MockProvider a = h.mock().thenFail(MockProvider.rateLimited(Duration.ofSeconds(10))).otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = twoTargets(a, b)) {
      ChatResponse first = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(first)).containsExactly("a:FAILED", "b:SUCCEEDED");

      h.time.advance(Duration.ofSeconds(9));
      ChatResponse during = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(during)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(during.attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("cooling down after 429"));
      assertThat(during.warnings()).anySatisfy(w -> assertThat(w).contains("skipped target a(mock:m-a)", "cooling down"));
      a.assertCallCount(1);

      h.time.advance(Duration.ofSeconds(1));
      ChatResponse after = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(after)).containsExactly("a:SUCCEEDED");
      assertThat(after.warnings()).isEmpty();
    }
  }

  @Test
  void cooldownHasAFloorAndACap() {
    MockProvider a = h.mock().thenFail(MockProvider.rateLimited(Duration.ZERO))
        .thenFail(MockProvider.rateLimited(Duration.ofHours(1))).otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b)
        .model(alias("chat", RoutingPolicy.builder().retry(RetryPolicy.NONE).build(), "a", "b"))
        .cooldown(new CooldownPolicy(Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMinutes(1))).build()) {
      h.await(sb.chatAsync(request("chat")));
      h.time.advance(Duration.ofMillis(1999));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      h.time.advance(Duration.ofMillis(1));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:FAILED", "b:SUCCEEDED");
      h.time.advance(Duration.ofSeconds(59));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      h.time.advance(Duration.ofSeconds(1));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void everyTargetCoolingDownFailsWithRateLimitedWithoutACall() {
    MockProvider a = h.mock().thenFail(MockProvider.rateLimited(Duration.ofSeconds(10)));
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build()) {
      h.failure(sb.chatAsync(request("chat")));
      SwitchboardException e = h.failure(sb.chatAsync(request("chat")));
      assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
      assertThat(e.getMessage()).contains("no target of model alias 'chat' can serve the request", "cooling down");
      assertThat(outcomes(e.attempts())).containsExactly("a:SKIPPED");
      a.assertCallCount(1);
    }
  }

  private Switchboard twoTargets(MockProvider a, MockProvider b) {
    return h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b")).build();
  }

  static SwitchboardException retryAfter(ErrorKind kind, Duration d) {
    return MockProvider.error(kind).toBuilder().retryAfter(d).build();
  }
}
