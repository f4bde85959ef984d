package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CircuitState;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Switchboard#targets()}: what a health endpoint reads, on virtual time. */
class TargetStatusTest {
  @Test
  void reportsCircuitCooldownAndLastErrorPerTarget() {
    VirtualTime time = new VirtualTime();
    MockProvider a = MockProvider.create(time).thenFail(MockProvider.rateLimited(Duration.ofSeconds(30)))
        .thenFail(ErrorKind.SERVER_ERROR, 2);
    MockProvider b = MockProvider.create(time).otherwiseReply("ok");
    try (Switchboard sb = Switchboard.builder().time(time, time)
        .deployment(Deployment.builder("a", "mock").circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(2).build()).build(), a)
        .deployment("b", b)
        .model(ModelAlias.builder("chat").target("a", "m").target("b", "m").build())
        .model(ModelAlias.builder("other").target("a", "m").build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .build()) {
      assertThat(sb.targets()).allSatisfy(s -> {
        assertThat(s.circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(s.available()).isTrue();
        assertThat(s.lastErrorKind()).isEmpty();
      });

      sb.chat(ChatRequest.of("chat", "hi"));
      // One entry per target, though two aliases share a's.
      assertThat(sb.targets()).hasSize(2);
      TargetStatus first = sb.targets().get(0);
      assertThat(first.target().deployment()).isEqualTo("a");
      assertThat(first.cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
      assertThat(first.lastErrorKind()).contains(ErrorKind.RATE_LIMITED);
      assertThat(first.lastErrorAt()).contains(time.instant());
      assertThat(first.available()).isFalse();
      assertThat(sb.targets().get(1).lastErrorKind()).isEmpty();

      time.advance(Duration.ofSeconds(31));
      sb.chat(ChatRequest.of("chat", "hi"));
      sb.chat(ChatRequest.of("chat", "hi"));
      TargetStatus open = sb.targets().get(0);
      assertThat(open.circuit()).isEqualTo(CircuitState.OPEN);
      assertThat(open.cooldownRemaining()).isZero();
      assertThat(open.lastErrorKind()).contains(ErrorKind.SERVER_ERROR);
      assertThat(a.callCount()).isEqualTo(3);
    }
  }
}
