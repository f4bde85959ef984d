package dev.switchboard.metrics;

import static dev.switchboard.metrics.MetricNames.*;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

import dev.switchboard.ChatRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.testing.MockProvider;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

class ObservationTracingTest {

  /** The listener hears a call's end just after the caller gets its answer: this latch opens then. */
  private static java.util.concurrent.CountDownLatch callStops(TestObservationRegistry registry) {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
      @Override
      public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(io.micrometer.observation.Observation.Context context) {
        if (ObservationTracing.CALL.equals(context.getName())) stopped.countDown();
      }
    });
    return stopped;
  }

  private static void await(java.util.concurrent.CountDownLatch latch) throws InterruptedException {
    org.assertj.core.api.Assertions.assertThat(latch.await(10, java.util.concurrent.TimeUnit.SECONDS))
        .as("call observation stopped").isTrue();
  }

  @Test
  void oneObservationPerCallAndAChildPerAttempt() throws InterruptedException {
    TestObservationRegistry registry = TestObservationRegistry.create();
    java.util.concurrent.CountDownLatch stopped = callStops(registry);
    MockProvider azure = MockProvider.create().otherwiseFail(ErrorKind.UNAVAILABLE);
    MockProvider bedrock = MockProvider.create().otherwiseReply("hi");
    try (Switchboard sb = Switchboard.builder().observationRegistry(registry).deployment("azure", azure).deployment("bedrock", bedrock)
        .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build()).build()) {
      sb.chat(ChatRequest.of("chat", "hello"));
    }
    await(stopped);
    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(ObservationTracing.CALL, 1)
        .hasObservationWithNameEqualTo(ObservationTracing.CALL).that()
        .hasContextualNameEqualTo("chat chat")
        .hasLowCardinalityKeyValue(OPERATION, "chat")
        .hasLowCardinalityKeyValue(TARGET, "bedrock")
        .hasLowCardinalityKeyValue(ERROR_TYPE, "none")
        .hasBeenStarted().hasBeenStopped();
    // unavailable is retried once on azure by default, then the call fails over to bedrock
    assertThat(registry).hasNumberOfObservationsWithNameEqualTo(ObservationTracing.ATTEMPT, 3);
    assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservationTracing.ATTEMPT)
        .hasLowCardinalityKeyValue(TARGET, "azure").hasLowCardinalityKeyValue(OUTCOME, "failed")
        .hasLowCardinalityKeyValue(ERROR_TYPE, "unavailable").hasHighCardinalityKeyValue(ObservationTracing.RETRY_NUMBER, "1")
        .hasLowCardinalityKeyValue(HEDGE, "false").hasError().hasParentObservationContextMatching(
            p -> ObservationTracing.CALL.equals(((io.micrometer.observation.Observation.ContextView) p).getName())));
    assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservationTracing.ATTEMPT)
        .hasLowCardinalityKeyValue(TARGET, "bedrock").hasLowCardinalityKeyValue(OUTCOME, "succeeded").doesNotHaveError());
  }

  @Test
  void aFailedCallEndsItsObservationWithTheError() throws InterruptedException {
    TestObservationRegistry registry = TestObservationRegistry.create();
    java.util.concurrent.CountDownLatch stopped = callStops(registry);
    MockProvider only = MockProvider.create().otherwiseFail(ErrorKind.AUTHENTICATION);
    try (Switchboard sb = Switchboard.builder().observationRegistry(registry).deployment("a", only)
        .model(ModelAlias.builder("chat").target("a", "m").build()).build()) {
      try {
        sb.chat(ChatRequest.of("chat", "hello"));
      } catch (RuntimeException expected) {
        // the observation is what this test checks
      }
    }
    await(stopped);
    assertThat(registry).hasObservationWithNameEqualTo(ObservationTracing.CALL).that()
        .hasLowCardinalityKeyValue(ERROR_TYPE, "authentication").hasError().hasBeenStopped();
  }
}
