package dev.switchboard.metrics;

import static dev.switchboard.metrics.MetricNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Switchboard;
import dev.switchboard.Target;
import dev.switchboard.ToolDefinition;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import dev.switchboard.testkit.Eventually;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The listener hears a call's end just after the caller gets its answer: wait for it. */
  private void awaitCalls(int n) {
    Eventually.await(n + " call(s) recorded", Duration.ofSeconds(10), () -> {
      Timer t = registry.find(OPERATION_DURATION).timer();
      return t != null && registry.find(OPERATION_DURATION).timers().stream().mapToLong(Timer::count).sum() == n;
    });
  }

  private Switchboard twoTargets(MockProvider a, MockProvider b) {
    return Switchboard.builder().meterRegistry(registry).deployment("azure", a).deployment("bedrock", b)
        .model(ModelAlias.builder("chat")
            .target(Target.of("azure", "gpt-4o").withPriority(0))
            .target(Target.of("bedrock", "claude").withPriority(1).withPrice(new Target.Price(3.0, 15.0)))
            .build())
        .build();
  }

  @Test
  void aFailoverIsRecordedWithGenAiNamesAndSwitchboardCounters() {
    MockProvider azure = MockProvider.create().otherwiseFail(ErrorKind.QUOTA_EXCEEDED);
    MockProvider bedrock = MockProvider.create().otherwiseReply("hi");
    try (Switchboard sb = twoTargets(azure, bedrock)) {
      sb.chat(ChatRequest.of("chat", "hello"));
    }
    awaitCalls(1);
    Timer duration = registry.get(OPERATION_DURATION).timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.getId().getTag(OPERATION)).isEqualTo("chat");
    assertThat(duration.getId().getTag(REQUEST_MODEL)).isEqualTo("chat");
    assertThat(duration.getId().getTag(RESPONSE_MODEL)).isEqualTo(MetricNames.NONE);
    assertThat(duration.getId().getTag(PROVIDER)).isEqualTo("mock");
    assertThat(duration.getId().getTag(TARGET)).isEqualTo("bedrock");
    assertThat(duration.getId().getTag(ERROR_TYPE)).isEqualTo("none");

    assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "input").summary().totalAmount()).isEqualTo(10);
    assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "output").summary().totalAmount()).isEqualTo(5);
    assertThat(registry.get(ATTEMPTS).tags(TARGET, "azure", OUTCOME, "failed", ERROR_TYPE, "quota_exceeded").counter().count()).isEqualTo(1);
    assertThat(registry.get(ATTEMPTS).tags(TARGET, "bedrock", OUTCOME, "succeeded").counter().count()).isEqualTo(1);
    assertThat(registry.get(FAILOVERS).tags(FROM_TARGET, "azure", TO_TARGET, "bedrock", ERROR_TYPE, "quota_exceeded")
        .counter().count()).isEqualTo(1);
    // 10 input tokens at $3/1k + 5 output tokens at $15/1k
    assertThat(registry.get(COST).tag(TARGET, "bedrock").counter().count()).isCloseTo(0.03 + 0.075, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aFailedCallCarriesItsErrorTypeAndRetriesAreCounted() {
    MockProvider azure = MockProvider.create().otherwiseFail(ErrorKind.INVALID_REQUEST);
    MockProvider bedrock = MockProvider.create().otherwiseReply("unused");
    try (Switchboard sb = twoTargets(azure, bedrock)) {
      assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hello"))).isInstanceOf(SwitchboardException.class);
    }
    awaitCalls(1);
    Timer duration = registry.get(OPERATION_DURATION).timer();
    assertThat(duration.getId().getTag(ERROR_TYPE)).isEqualTo("invalid_request");
    assertThat(duration.getId().getTag(TARGET)).isEqualTo("azure");
    assertThat(registry.find(TOKEN_USAGE).meters()).isEmpty();
    assertThat(registry.find(COST).meters()).isEmpty();
  }

  @Test
  void retriesAreCounted() {
    MockProvider azure = MockProvider.create().thenFail(ErrorKind.SERVER_ERROR).otherwiseReply("ok");
    MockProvider bedrock = MockProvider.create().otherwiseReply("unused");
    try (Switchboard sb = twoTargets(azure, bedrock)) {
      sb.chat(ChatRequest.of("chat", "hello"));
    }
    awaitCalls(1);
    assertThat(registry.get(RETRIES).tags(TARGET, "azure", ERROR_TYPE, "server_error").counter().count()).isEqualTo(1);
  }

  @Test
  void skippedTargetsAreCountedByReason() {
    MockProvider azure = MockProvider.create().capabilities(new Capabilities(true, false, true, true, true, true));
    MockProvider bedrock = MockProvider.create().otherwiseReply("ok");
    try (Switchboard sb = twoTargets(azure, bedrock)) {
      sb.chat(ChatRequest.builder("chat").user("hi").tool(ToolDefinition.of("f", "d")).build());
    }
    awaitCalls(1);
    assertThat(registry.get(SKIPPED).tags(TARGET, "azure", SKIP_REASON, "capability").counter().count()).isEqualTo(1);
  }

  @Test
  void streamsRecordTimeToFirstChunkAndTimePerChunk() {
    MockProvider azure = MockProvider.create().thenStream(StreamScript.builder().text("a").text("b").text("c").usage(3, 3).build());
    MockProvider bedrock = MockProvider.create();
    try (Switchboard sb = twoTargets(azure, bedrock); ChatStream s = sb.stream(ChatRequest.of("chat", "hi"))) {
      List<ChatEvent> events = new ArrayList<>();
      s.forEach(events::add);
      s.response().join();
      assertThat(events).hasSize(5);
    }
    awaitCalls(1);
    assertThat(registry.get(TIME_TO_FIRST_CHUNK).tag(TARGET, "azure").timer().count()).isEqualTo(1);
    assertThat(registry.get(TIME_PER_OUTPUT_CHUNK).tag(TARGET, "azure").timer().count()).isEqualTo(4);
    assertThat(registry.get(OPERATION_DURATION).timer().count()).isEqualTo(1);
  }

  @Test
  void circuitStateIsAGaugePerTarget() {
    MockProvider azure = MockProvider.create().otherwiseFail(ErrorKind.SERVER_ERROR);
    MockProvider bedrock = MockProvider.create().otherwiseReply("ok");
    try (Switchboard sb = Switchboard.builder().meterRegistry(registry).deployment("azure", azure).deployment("bedrock", bedrock)
        .circuitBreaker(CircuitBreakerPolicy.builder().minimumCalls(2).slidingWindowSize(2).failureRateThreshold(50)
            .waitInOpen(Duration.ofMinutes(5)).build())
        .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build()).build()) {
      for (int i = 0; i < 3; i++) sb.chat(ChatRequest.of("chat", "hello"));
    }
    awaitCalls(3);
    assertThat(registry.get(CIRCUIT_STATE).tag(TARGET, "azure").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get(SKIPPED).tags(TARGET, "azure", SKIP_REASON, "circuit_open").counter().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void latencyBucketsSuitLlmCallsAndTagsStayLowCardinality() {
    MockProvider azure = MockProvider.create().otherwiseReply("a secret prompt answer");
    try (Switchboard sb = twoTargets(azure, MockProvider.create())) {
      sb.chat(ChatRequest.builder("chat").user("my very private prompt").endUser("user-4711").build());
    }
    awaitCalls(1);
    Timer duration = registry.get(OPERATION_DURATION).timer();
    double[] bounds = java.util.Arrays.stream(duration.takeSnapshot().histogramCounts()).mapToDouble(c -> c.bucket(TimeUnit.SECONDS)).toArray();
    assertThat(bounds).contains(0.1, 1.0, 10.0, 60.0, 120.0);
    assertThat(duration.takeSnapshot().histogramCounts()).extracting(CountAtBucket::count).contains(1.0);
    // "le" is SimpleMeterRegistry's own bucket tag.
    Set<String> allowedKeys = Set.of("le", OPERATION, PROVIDER, REQUEST_MODEL, RESPONSE_MODEL, TOKEN_TYPE, SERVER_ADDRESS, ERROR_TYPE,
        TARGET, FROM_TARGET, TO_TARGET, OUTCOME, HEDGE, SKIP_REASON);
    for (Meter m : registry.getMeters()) {
      m.getId().getTags().forEach(t -> {
        assertThat(allowedKeys).contains(t.getKey());
        assertThat(t.getValue()).doesNotContain("private prompt").doesNotContain("user-4711").doesNotContain("answer");
      });
    }
  }
}
