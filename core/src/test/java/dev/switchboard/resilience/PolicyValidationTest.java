package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.routing.RoutingStrategy;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad settings fail when built, naming the setting as the configuration file spells it. */
class PolicyValidationTest {

  @Test
  void retryPolicy() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxRetries(-1).build()).hasMessageContaining("retry.max-retries");
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO).build()).hasMessageContaining("retry.initial-backoff");
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build())
        .hasMessageContaining("retry.max-backoff");
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build()).hasMessageContaining("retry.multiplier");
    assertThatThrownBy(() -> RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(-1)).build()).hasMessageContaining("retry.max-retry-after");
    assertThatThrownBy(() -> RetryPolicy.builder().retryOn(List.of(ErrorKind.CANCELLED)).build()).hasMessageContaining("retry.retry-on");
  }

  @Test
  void failoverPolicy() {
    assertThatThrownBy(() -> FailoverPolicy.builder().failoverOn(List.of(ErrorKind.INVALID_REQUEST)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failover.failover-on").hasMessageContaining("INVALID_REQUEST");
    assertThat(FailoverPolicy.builder().contentFiltered(true).contextLengthExceeded(true).build().failoverOn())
        .contains(ErrorKind.CONTENT_FILTERED, ErrorKind.CONTEXT_LENGTH_EXCEEDED);
    assertThat(FailoverPolicy.DEFAULTS.failoverOn()).doesNotContain(ErrorKind.CONTENT_FILTERED,
        ErrorKind.INVALID_REQUEST, ErrorKind.CANCELLED).contains(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
  }

  @Test
  void otherPolicies() {
    assertThatThrownBy(() -> Timeouts.builder().call(Duration.ZERO).build()).hasMessageContaining("timeouts.call");
    assertThatThrownBy(() -> Timeouts.builder().streamIdle(Duration.ofMillis(-5)).build()).hasMessageContaining("timeouts.stream-idle");
    assertThatThrownBy(() -> HedgingPolicy.fixed(Duration.ZERO)).hasMessageContaining("hedging.delay");
    assertThatThrownBy(() -> HedgingPolicy.fixed(Duration.ofSeconds(1)).withMaxHedges(0)).hasMessageContaining("hedging.max-hedges");
    assertThatThrownBy(() -> CircuitBreakerPolicy.builder().failureRateThreshold(0).build())
        .hasMessageContaining("circuit-breaker.failure-rate-threshold");
    assertThatThrownBy(() -> CircuitBreakerPolicy.builder().permittedCallsInHalfOpen(0).build())
        .hasMessageContaining("circuit-breaker.permitted-calls-in-half-open");
    assertThatThrownBy(() -> BulkheadPolicy.of(0)).hasMessageContaining("bulkhead.max-concurrent-calls");
    assertThatThrownBy(() -> new BulkheadPolicy(2, BulkheadPolicy.WhenFull.WAIT, Duration.ZERO)).hasMessageContaining("bulkhead.max-wait");
    assertThatThrownBy(() -> new CooldownPolicy(Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(1)))
        .hasMessageContaining("cooldown.max");
    assertThatThrownBy(() -> RetryBudgetPolicy.of(-0.1, 1)).hasMessageContaining("retry-budget.ratio");
    assertThatThrownBy(() -> RetryBudgetPolicy.of(0.2, 1).withWindow(Duration.ofMillis(10))).hasMessageContaining("retry-budget.window");
    assertThatThrownBy(() -> TargetLimits.requestsPerMinute(0)).hasMessageContaining("limits.requests-per-minute");
    assertThatThrownBy(() -> RoutingStrategy.regionAffinity(" ", RoutingStrategy.priority())).hasMessageContaining("region");
    assertThatThrownBy(() -> RoutingStrategy.lowestCost(-1)).hasMessageContaining("lowest-cost");
  }

  // Per-deployment and per-alias policies are set on the Deployment and the ModelAlias themselves,
  // so "a policy for an unknown deployment / alias" can no longer be written.

  @Test
  void aReadyMadeProviderMustHaveItsDeploymentsType() {
    assertThatThrownBy(() -> Switchboard.builder()
        .deployment(Deployment.builder("a", "openai").build(), MockProvider.create())
        .model(ModelAlias.builder("chat").target("a", "m").build())
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployment 'a' has type 'openai' but its provider's type is 'mock'");
  }
}
