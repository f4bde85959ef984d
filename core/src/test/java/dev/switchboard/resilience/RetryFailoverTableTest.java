package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Target;
import dev.switchboard.AssistantMessage;
import dev.switchboard.FinishReason;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The default retry/failover table, kind by kind, and the opt-ins. */
class RetryFailoverTableTest {

  /** What the issue specifies, independent of the code: retry on the same target, fail over. */
  private static final Map<ErrorKind, boolean[]> TABLE = new EnumMap<>(ErrorKind.class);

  static {
    TABLE.put(ErrorKind.AUTHENTICATION, new boolean[] {false, true});
    TABLE.put(ErrorKind.PERMISSION, new boolean[] {false, true});
    TABLE.put(ErrorKind.NOT_FOUND, new boolean[] {false, true});
    TABLE.put(ErrorKind.INVALID_REQUEST, new boolean[] {false, false});
    TABLE.put(ErrorKind.CONTEXT_LENGTH_EXCEEDED, new boolean[] {false, true}); // to a target not known to be smaller
    TABLE.put(ErrorKind.CONTENT_FILTERED, new boolean[] {false, false});
    TABLE.put(ErrorKind.RATE_LIMITED, new boolean[] {false, true}); // retried only with a short Retry-After, see below
    TABLE.put(ErrorKind.QUOTA_EXCEEDED, new boolean[] {false, true});
    TABLE.put(ErrorKind.TIMEOUT, new boolean[] {false, true}); // a target that did not answer in time is not waited on twice
    TABLE.put(ErrorKind.UNAVAILABLE, new boolean[] {true, true});
    TABLE.put(ErrorKind.SERVER_ERROR, new boolean[] {true, true});
    TABLE.put(ErrorKind.NETWORK, new boolean[] {true, true});
    TABLE.put(ErrorKind.PROTOCOL, new boolean[] {false, true});
    TABLE.put(ErrorKind.CANCELLED, new boolean[] {false, false});
  }

  private final Harness h = new Harness();

  @ParameterizedTest
  @EnumSource(ErrorKind.class)
  void defaultTable(ErrorKind kind) {
    boolean retries = TABLE.get(kind)[0];
    boolean failsOver = TABLE.get(kind)[1];
    MockProvider a = h.mock().thenFail(kind).thenFail(kind);
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b")).build()) {
      var call = sb.chatAsync(request("chat"));
      List<String> expected = new java.util.ArrayList<>();
      expected.add("a:FAILED");
      if (retries) expected.add("a:FAILED");
      if (failsOver) {
        expected.add("b:SUCCEEDED");
        ChatResponse r = h.await(call);
        assertThat(r.text()).isEqualTo("from b");
        assertThat(outcomes(r)).containsExactlyElementsOf(expected);
        assertThat(r.attempts().get(0).errorKind()).contains(kind);
      } else {
        SwitchboardException e = h.failure(call);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(outcomes(e.attempts())).containsExactlyElementsOf(expected);
        b.assertCallCount(0);
      }
      a.assertCallCount(retries ? 2 : 1);
    }
  }

  @Test
  void defaultsMatchTheErrorKindDefaults() {
    for (ErrorKind k : ErrorKind.values()) {
      if (k == ErrorKind.CANCELLED) continue;
      assertThat(FailoverPolicy.DEFAULTS.failsOver(k)).as("failover %s", k).isEqualTo(k.failoverByDefault());
      assertThat(RetryPolicy.DEFAULTS.retries(k)).as("retry %s", k).isEqualTo(k.retryableByDefault());
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(longs = {-1, 0, 1000, 1500})
  void rateLimitedWithAShortOrNoRetryAfterFailsOverAtOnceWhileAnotherTargetCanServe(long retryAfterMillis) {
    SwitchboardException limited = retryAfterMillis < 0 ? MockProvider.error(ErrorKind.RATE_LIMITED)
        : MockProvider.rateLimited(java.time.Duration.ofMillis(retryAfterMillis));
    MockProvider a = h.mock().thenFail(limited).otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b")).build()) {
      var start = h.now();
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.text()).isEqualTo("from b");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(r.attempts().get(1).start()).as("no wait before the failover").isEqualTo(start);
      a.assertCallCount(1);
      // a cools down for its Retry-After (at least the 1 s floor), then serves again.
      ChatResponse during = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(during)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      h.time.advance(java.time.Duration.ofMillis(Math.max(1000, retryAfterMillis)));
      assertThat(h.await(sb.chatAsync(request("chat"))).text()).isEqualTo("from a");
      a.assertCallCount(2);
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(longs = {-1, 0, 1500})
  void rateLimitedWithNoOtherTargetIsRetriedOnTheSameTargetAfterItsCooldown(long retryAfterMillis) {
    SwitchboardException limited = retryAfterMillis < 0 ? MockProvider.error(ErrorKind.RATE_LIMITED)
        : MockProvider.rateLimited(java.time.Duration.ofMillis(retryAfterMillis));
    MockProvider a = h.mock().thenFail(limited).thenReply("from a");
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build()) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.text()).isEqualTo("from a");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "a:SUCCEEDED");
      // The Retry-After, never less than the 1 s cooldown floor (a Retry-After: 0 is not a busy loop).
      assertThat(java.time.Duration.between(r.attempts().get(0).start(), r.attempts().get(1).start()))
          .isEqualTo(java.time.Duration.ofMillis(Math.max(1000, retryAfterMillis)));
    }
  }

  @Test
  void rateLimitedOnTheLastTargetLeftIsRetriedInPlace() {
    MockProvider a = h.mock().thenFail(MockProvider.rateLimited(java.time.Duration.ofMillis(500))).thenReply("from a");
    MockProvider b = h.mock().thenFail(MockProvider.rateLimited(java.time.Duration.ofSeconds(30))).otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "b", "a")).build()) {
      // b is limited (a 30 s Retry-After) and fails over to a; a, limited too, is the last target left.
      ChatResponse first = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(first)).containsExactly("b:FAILED", "a:FAILED", "a:SUCCEEDED");
      b.assertCallCount(1);
    }
  }

  @Test
  void contentFilteredFailsOverOnlyWhenOptedIn() {
    MockProvider a = h.mock().thenFail(ErrorKind.CONTENT_FILTERED);
    MockProvider b = h.mock().otherwiseReply("from b");
    RoutingPolicy optIn = RoutingPolicy.builder().failover(FailoverPolicy.builder().contentFiltered(true).build()).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", optIn, "a", "b")).build()) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
    }
  }

  @Test
  void contextLengthFailsOverByDefaultToATargetNotKnownToHaveASmallerWindow() {
    MockProvider small = h.mock().thenFail(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
    MockProvider smaller = h.mock().otherwiseReply("from smaller");
    MockProvider unknown = h.mock().otherwiseReply("from unknown");
    MockProvider large = h.mock().otherwiseReply("from large");
    ModelAlias alias = ModelAlias.builder("chat")
        .target(Target.of("small", "m").withPriority(0).withContextWindow(8_000))
        .target(Target.of("smaller", "m").withPriority(1).withContextWindow(4_000))
        .target(Target.of("unknown", "m").withPriority(2))
        .target(Target.of("large", "m").withPriority(3).withContextWindow(128_000))
        .build();
    try (Switchboard sb = h.builder().deployment("small", small).deployment("smaller", smaller)
        .deployment("unknown", unknown).deployment("large", large).model(alias).build()) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.text()).isEqualTo("from unknown");
      assertThat(outcomes(r)).containsExactly("small:FAILED", "smaller:SKIPPED", "unknown:SUCCEEDED");
      assertThat(r.attempts().get(1).note()).hasValueSatisfying(n -> assertThat(n).contains("context window"));
      smaller.assertCallCount(0);
    }
    RoutingPolicy optOut = RoutingPolicy.builder().failover(FailoverPolicy.builder().contextLengthExceeded(false).build()).build();
    MockProvider a = h.mock().thenFail(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", optOut, "a", "b")).build()) {
      assertThat(h.failure(sb.chatAsync(request("chat"))).kind()).isEqualTo(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
      b.assertCallCount(0);
    }
  }

  @Test
  void contentFilterFinishFailsOverWhenOptedInAndFallsBackToTheFilteredAnswer() {
    MockProvider a = h.mock().thenReply(filtered("cut by a")).thenReply(filtered("cut by a again"));
    MockProvider b = h.mock().thenReply("clean from b").thenFail(ErrorKind.UNAVAILABLE).thenFail(ErrorKind.UNAVAILABLE);
    RoutingPolicy optIn = RoutingPolicy.builder().retry(RetryPolicy.NONE)
        .failover(FailoverPolicy.builder().onContentFilterFinish(true).build()).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", optIn, "a", "b")).build()) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.text()).isEqualTo("clean from b");
      assertThat(outcomes(r)).containsExactly("a:FAILED", "b:SUCCEEDED");
      assertThat(r.attempts().get(0).errorKind()).contains(ErrorKind.CONTENT_FILTERED);

      ChatResponse fallback = h.await(sb.chatAsync(request("chat")));
      assertThat(fallback.text()).isEqualTo("cut by a again");
      assertThat(fallback.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
      assertThat(fallback.servedBy().deployment()).isEqualTo("a");
      assertThat(fallback.warnings()).anySatisfy(w -> assertThat(w).contains("content filter"));
    }
  }

  @Test
  void contentFilterFinishIsAnAnswerByDefault() {
    MockProvider a = h.mock().thenReply(filtered("cut"));
    MockProvider b = h.mock().otherwiseReply("unused");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b")).build()) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
      b.assertCallCount(0);
    }
  }

  @Test
  void retryOnAndFailoverOnAreConfigurablePerAlias() {
    MockProvider a = h.mock().thenFail(ErrorKind.PROTOCOL).thenReply("a again");
    MockProvider b = h.mock().otherwiseReply("from b");
    RoutingPolicy custom = RoutingPolicy.builder()
        .retry(RetryPolicy.builder().retryOn(List.of(ErrorKind.PROTOCOL)).build())
        .failover(FailoverPolicy.NONE).build();
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", custom, "a", "b"))
        .model(alias("other", "a", "b")).build()) {
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(r)).containsExactly("a:FAILED", "a:SUCCEEDED");
      a.thenFail(ErrorKind.UNAVAILABLE).thenFail(ErrorKind.UNAVAILABLE);
      SwitchboardException e = h.failure(sb.chatAsync(request("chat")));
      assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
      assertThat(outcomes(e.attempts())).containsExactly("a:FAILED");
      b.assertCallCount(0);
    }
  }

  private static dev.switchboard.ChatResponse.Builder filtered(String text) {
    return ChatResponse.builder().message(AssistantMessage.of(text)).finishReason(FinishReason.CONTENT_FILTER);
  }
}
