package dev.switchboard.routing;

import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Switchboard;
import dev.switchboard.Target;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.switchboard.testkit.logging.RecordingLogs;

/**
 * Strategies through the whole engine: observed traffic shares of weighted and round-robin
 * routing (property-style: several seeds and weight sets, shares within a tolerance), and the
 * strategies that learn from responses (least-latency, quota-aware).
 */
class RoutingDistributionTest {
  private final Harness h = new Harness();

  /** Thousands of calls log at DEBUG into the recording logger; keep it from growing across tests. */
  @AfterEach
  void dropRecordedLogs() {
    RecordingLogs.clear();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 17, 99})
  void weightedSharesFollowTheWeights(long seed) {
    Random random = new Random(seed);
    int[] weights = {1 + random.nextInt(9), 1 + random.nextInt(9), 1 + random.nextInt(9)};
    Map<String, Integer> served = serve(RoutingStrategy.weighted(), weights, 6_000, seed);
    int total = weights[0] + weights[1] + weights[2];
    for (int i = 0; i < 3; i++) {
      double expected = weights[i] / (double) total;
      double observed = served.getOrDefault("t" + i, 0) / 6_000.0;
      // 6,000 draws: a binomial share's standard deviation is below 0.0065; allow about 4 of them.
      assertThat(observed).as("seed %d weights %s target %d", seed, java.util.Arrays.toString(weights), i)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.025));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void roundRobinSharesAreEqualAndZeroWeightIsOnlyAFallback(long seed) {
    Map<String, Integer> served = serve(RoutingStrategy.roundRobin(), new int[] {3, 1, 0}, 3_000, seed);
    assertThat(served).containsEntry("t0", 1_500).containsEntry("t1", 1_500).doesNotContainKey("t2");
  }

  private Map<String, Integer> serve(RoutingStrategy strategy, int[] weights, int calls, long seed) {
    ModelAlias.Builder alias = ModelAlias.builder("chat");
    Switchboard.Builder b = h.builder().random(new Random(seed));
    for (int i = 0; i < weights.length; i++) {
      alias.target(Target.of("t" + i, "m").withWeight(weights[i]).withPriority(i));
      b.deployment("t" + i, h.mock().otherwiseReply("from t" + i));
    }
    Map<String, Integer> served = new HashMap<>();
    try (Switchboard sb = b.model(alias.routing(RoutingPolicy.builder().strategy(strategy).build()).build()).build()) {
      for (int i = 0; i < calls; i++) {
        ChatResponse r = h.await(sb.chatAsync(request("chat")));
        served.merge(r.servedBy().deployment(), 1, Integer::sum);
        if (i % 1000 == 999) RecordingLogs.clear();
      }
    }
    return served;
  }

  @Test
  void leastLatencyFollowsMeasuredLatencyAndNoticesARecoveredTarget() {
    MockProvider slow = h.mock().latency(Duration.ofMillis(900)).otherwiseReply("slow");
    MockProvider fast = h.mock().latency(Duration.ofMillis(100)).otherwiseReply("fast");
    try (Switchboard sb = h.builder().deployment("slow", slow).deployment("fast", fast)
        .model(Harness.alias("chat", RoutingPolicy.builder().strategy(RoutingStrategy.leastLatency(0.1)).build(), "slow", "fast")).build()) {
      Map<String, Integer> served = new HashMap<>();
      for (int i = 0; i < 500; i++) served.merge(h.await(sb.chatAsync(request("chat"))).servedBy().deployment(), 1, Integer::sum);
      // Both measured once at first, then the fast one; exploration sends about 10 % to the other.
      assertThat(served.get("fast")).isBetween(420, 480);

      slow.latency(Duration.ofMillis(10)); // "slow" recovers and is now the faster one
      // Only exploration samples it; each sample moves its average 20 % of the way.
      for (int i = 0; i < 300; i++) h.await(sb.chatAsync(request("chat")));
      served.clear();
      for (int i = 0; i < 300; i++) served.merge(h.await(sb.chatAsync(request("chat"))).servedBy().deployment(), 1, Integer::sum);
      assertThat(served.get("slow")).isBetween(250, 290);
    }
  }

  @Test
  void quotaAwareReadsRateLimitInfoFromResponsesAndErrors() {
    MockProvider a = h.mock().thenReply(withQuota("a low", 100, 5)).otherwiseReply("from a");
    MockProvider b = h.mock().thenReply(withQuota("b high", 100, 80))
        .thenFail(MockProvider.error(ErrorKind.NOT_FOUND).toBuilder().rateLimit(quota(100, 1)).build())
        .otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b)
        .model(Harness.alias("chat", RoutingPolicy.builder().strategy(RoutingStrategy.quotaAware()).build(), "a", "b")).build()) {
      // Nothing known: priority order. a reports 5 of 100 requests left.
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      // Unknown counts as full, so b is preferred now; it reports 80 of 100.
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("b:SUCCEEDED");
      // b still has more left; this time it fails, and its error says 1 of 100 is left.
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("b:FAILED", "a:SUCCEEDED");
      // a (about 4 of 100 after the call sent since its report) now beats b (1 of 100).
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void aThrowingStrategyFallsBackToPriorityOrder() {
    MockProvider a = h.mock().otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    RoutingStrategy broken = (candidates, request) -> {
      throw new IllegalStateException("boom");
    };
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b)
        .model(Harness.alias("chat", RoutingPolicy.builder().strategy(broken).build(), "b", "a")).build()) {
      assertThat(h.await(sb.chatAsync(request("chat"))).servedBy().deployment()).isEqualTo("b");
    }
  }

  @Test
  void aStrategyMayLeaveTargetsOut() {
    MockProvider a = h.mock().thenFail(ErrorKind.UNAVAILABLE).thenFail(ErrorKind.UNAVAILABLE);
    MockProvider b = h.mock().otherwiseReply("never");
    RoutingStrategy onlyFirst = (candidates, request) -> List.of(candidates.get(0));
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b)
        .model(Harness.alias("chat", RoutingPolicy.builder().strategy(onlyFirst).build(), "a", "b")).build()) {
      assertThat(h.failure(sb.chatAsync(request("chat"))).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
      b.assertCallCount(0);
    }
  }

  private static RateLimitInfo quota(long limit, long remaining) {
    return new RateLimitInfo(OptionalLong.of(limit), OptionalLong.of(remaining), Optional.of(Duration.ofMinutes(1)),
        OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
  }

  private static ChatResponse.Builder withQuota(String text, long limit, long remaining) {
    return ChatResponse.builder().message(AssistantMessage.of(text)).rateLimit(quota(limit, remaining));
  }
}
