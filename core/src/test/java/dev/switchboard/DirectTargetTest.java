package dev.switchboard;

import static dev.switchboard.metrics.MetricNames.ATTEMPTS;
import static dev.switchboard.metrics.MetricNames.OPERATION_DURATION;
import static dev.switchboard.metrics.MetricNames.OUTCOME;
import static dev.switchboard.metrics.MetricNames.REQUEST_MODEL;
import static dev.switchboard.metrics.MetricNames.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import dev.switchboard.testing.VirtualTime;
import dev.switchboard.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A request that names a deployment and model directly ({@link ChatRequest.Builder#target}):
 * served by exactly that target, under the deadline, retried on the same target only, never
 * failed over, and recorded in metrics with the target's model as the requested model.
 */
class DirectTargetTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Two deployments; the only alias names "backup" alone, so any call reaching "backup" would be a failover. */
  private Switchboard switchboard(MockProvider east, MockProvider backup) {
    return Switchboard.builder().meterRegistry(registry).deployment("azure-east", east).deployment("backup", backup)
        .model(ModelAlias.builder("chat").target("backup", "other").build()).build();
  }

  private static ChatRequest direct() {
    return ChatRequest.builder().target("azure-east", "gpt-4o-mini").user("hi").build();
  }

  @Test
  void theNamedDeploymentAndModelServeTheRequest() {
    MockProvider east = MockProvider.create().thenReply("from east");
    MockProvider backup = MockProvider.create().otherwiseReply("unused");
    try (Switchboard sb = switchboard(east, backup)) {
      ChatResponse r = sb.chat(direct());
      assertThat(r.text()).isEqualTo("from east");
      assertThat(r.servedBy()).isEqualTo(new TargetRef("azure-east", "mock", "gpt-4o-mini"));
      assertThat(east.lastCall().target().model()).isEqualTo("gpt-4o-mini");
      backup.assertCallCount(0);
    }
  }

  @Test
  void aTransientFailureIsRetriedOnTheSameTargetAndNeverFailsOver() {
    MockProvider east = MockProvider.create().thenFail(ErrorKind.UNAVAILABLE).thenReply("second try");
    MockProvider backup = MockProvider.create().otherwiseReply("unused");
    try (Switchboard sb = switchboard(east, backup)) {
      ChatResponse r = sb.chat(direct());
      assertThat(r.text()).isEqualTo("second try");
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      east.assertCallCount(2);
    }
    MockProvider failing = MockProvider.create().otherwiseFail(ErrorKind.RATE_LIMITED);
    try (Switchboard sb = switchboard(failing, backup)) {
      assertThatThrownBy(() -> sb.chat(direct())).isInstanceOfSatisfying(SwitchboardException.class,
          e -> assertThat(e.attempts()).allSatisfy(a -> assertThat(a.target().deployment()).isEqualTo("azure-east")));
    }
    backup.assertCallCount(0);
  }

  @Test
  void theDeadlineEndsAHangingDirectCall() {
    VirtualTime time = new VirtualTime();
    MockProvider east = MockProvider.create(time).thenHang();
    try (Switchboard sb = Switchboard.builder().time(time, time).deployment("azure-east", east)
        .model(ModelAlias.builder("chat").target("azure-east", "gpt-4o").build()).build()) {
      CompletableFuture<ChatResponse> f = sb.chatAsync(direct().toBuilder().timeout(Duration.ofSeconds(5)).build());
      time.advance(Duration.ofSeconds(4));
      assertThat(f).isNotDone();
      time.advance(Duration.ofSeconds(1));
      assertThatThrownBy(f::join).cause().isInstanceOfSatisfying(SwitchboardException.class,
          e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
      assertThat(east.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void metricsNameTheTargetsModelAsTheRequestedModel() {
    MockProvider east = MockProvider.create().otherwiseReply("ok");
    try (Switchboard sb = switchboard(east, MockProvider.create())) {
      sb.chat(direct());
    }
    Eventually.await("the call recorded", Duration.ofSeconds(10), () -> registry.find(OPERATION_DURATION).timer() != null);
    assertThat(registry.get(OPERATION_DURATION).tag(REQUEST_MODEL, "gpt-4o-mini").timer().count()).isEqualTo(1);
    assertThat(registry.get(ATTEMPTS).tags(TARGET, "azure-east", OUTCOME, "succeeded").counter().count()).isEqualTo(1);
  }

  @Test
  void aDirectStreamIsServedByTheTarget() {
    MockProvider east = MockProvider.create().thenStream(StreamScript.text("str", "eamed"));
    try (Switchboard sb = switchboard(east, MockProvider.create()); ChatStream s = sb.stream(direct())) {
      List<ChatEvent> events = new ArrayList<>();
      s.forEach(events::add);
      ChatResponse r = s.response().join();
      assertThat(r.text()).isEqualTo("streamed");
      assertThat(r.servedBy().deployment()).isEqualTo("azure-east");
      assertThat(r.servedBy().model()).isEqualTo("gpt-4o-mini");
    }
  }

  /** The direct target and an alias naming the same deployment and model share one health (one circuit breaker). */
  @Test
  void aDirectTargetSharesHealthWithTheSameAliasTarget() {
    MockProvider east = MockProvider.create().otherwiseReply("ok");
    try (Switchboard sb = Switchboard.builder().deployment("azure-east", east)
        .model(ModelAlias.builder("chat").target("azure-east", "gpt-4o-mini").build()).build()) {
      sb.chat(direct());
      sb.chat(ChatRequest.builder().target("azure-east", "gpt-4o").user("hi").build());
      assertThat(sb.targets()).extracting(TargetStatus::target).extracting(TargetRef::model)
          .containsExactly("gpt-4o", "gpt-4o-mini");
    }
  }

  @Test
  void anUnknownDeploymentIsRefusedNamingTheConfiguredOnes() {
    try (Switchboard sb = switchboard(MockProvider.create(), MockProvider.create())) {
      assertThatThrownBy(() -> sb.chat(ChatRequest.builder().target("azure-west", "gpt-4o").user("hi").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown deployment 'azure-west'").hasMessageContaining("[azure-east, backup]");
    }
  }

  @Test
  void theBuilderKeepsAliasAndTargetApart() {
    ChatRequest r = direct();
    assertThat(r.target()).contains(Target.of("azure-east", "gpt-4o-mini"));
    assertThat(r.model()).isEqualTo("gpt-4o-mini");
    assertThat(r.toString()).contains("target=azure-east/gpt-4o-mini");
    ChatRequest aliased = r.toBuilder().model("chat").build();
    assertThat(aliased.target()).isEmpty();
    assertThat(aliased.model()).isEqualTo("chat");
    assertThat(ChatRequest.of("chat", "hi").target()).isEmpty();
    assertThatThrownBy(() -> ChatRequest.builder().user("hi").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name a model alias, or a deployment and model");
    assertThatThrownBy(() -> ChatRequest.builder().target("azure-east", " ").user("hi").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target model is blank");
  }
}
