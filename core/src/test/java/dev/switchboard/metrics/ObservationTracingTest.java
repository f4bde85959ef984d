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

  /**
   * The listener hears a call's end just after the caller gets its answer, so wait (bounded) until
   * the registry shows the call observation stopped. Polling the registry itself, not a handler
   * of our own: Micrometer runs stop handlers in reverse order, so ours would fire before the
   * test registry records the stop.
   */
  private static void awaitCallStopped(TestObservationRegistry registry) {
    dev.switchboard.testkit.Eventually.await("call observation stopped", java.time.Duration.ofSeconds(10), () -> {
      try {
        assertThat(registry).hasObservationWithNameEqualTo(ObservationTracing.CALL).that().hasBeenStopped();
        return true;
      } catch (AssertionError notYet) {
        return false;
      }
    });
  }

  @Test
  void oneObservationPerCallAndAChildPerAttempt() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    MockProvider azure = MockProvider.create().otherwiseFail(ErrorKind.UNAVAILABLE);
    MockProvider bedrock = MockProvider.create().otherwiseReply("hi");
    try (Switchboard sb = Switchboard.builder().observationRegistry(registry).deployment("azure", azure).deployment("bedrock", bedrock)
        .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build()).build()) {
      sb.chat(ChatRequest.of("chat", "hello"));
    }
    awaitCallStopped(registry);
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
  void aFailedCallEndsItsObservationWithTheError() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    MockProvider only = MockProvider.create().otherwiseFail(ErrorKind.AUTHENTICATION);
    try (Switchboard sb = Switchboard.builder().observationRegistry(registry).deployment("a", only)
        .model(ModelAlias.builder("chat").target("a", "m").build()).build()) {
      try {
        sb.chat(ChatRequest.of("chat", "hello"));
      } catch (RuntimeException expected) {
        // the observation is what this test checks
      }
    }
    awaitCallStopped(registry);
    assertThat(registry).hasObservationWithNameEqualTo(ObservationTracing.CALL).that()
        .hasLowCardinalityKeyValue(ERROR_TYPE, "authentication").hasError().hasBeenStopped();
  }
}
