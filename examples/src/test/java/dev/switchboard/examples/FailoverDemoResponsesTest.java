package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.examples.demo.CallRecord;
import dev.switchboard.examples.demo.DemoReport;
import dev.switchboard.examples.demo.StepRecord;
import dev.switchboard.examples.sim.SimulatedEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failover demo with {@code --api responses}: Azure on the Responses API
 * ({@code failover-demo-responses.yaml}) failing over to Bedrock's Converse API. What reached each
 * simulator is read from its request log.
 */
class FailoverDemoResponsesTest {
  private static final String RESPONSES = "/openai/v1/responses";
  private static final String CONVERSE = "/model/openai.gpt-oss-120b-1%3A0/converse";
  private static final String CONVERSE_STREAM = "/model/openai.gpt-oss-120b-1%3A0/converse-stream";
  private static DemoReport report;
  private static String output;

  @BeforeAll
  static void runTheDemo() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      report = FailoverDemo.run(out, Map.of("CI", "true"), "--simulated", "--fast", "--api", "responses");
    }
    output = buffer.toString(StandardCharsets.UTF_8);
  }

  private static List<CallRecord> step(int number) {
    StepRecord step = report.steps().get(number - 1);
    assertThat(step.unmet()).as(step.title()).isEmpty();
    return step.calls();
  }

  @Test
  void everyStepBehavedAsTheDemoSays() {
    assertThat(report.steps()).hasSize(5);
    assertThat(report.ok()).as(output).isTrue();
    assertThat(output).contains("failover-demo-responses.yaml", "/openai/v1/responses").doesNotContain("UNEXPECTED");
  }

  @Test
  void azureReceivedEveryRequestOnTheResponsesApiAndNoneOnChatCompletions() {
    // 1 + 2 (503s) + 1 (429) + 1 + 1 (probe) + 1 (broken stream); refused connections never arrive.
    assertThat(report.requestPaths().get("azure")).hasSize(7).containsOnly(RESPONSES);
    assertThat(report.simulators().get("azure")).isEqualTo(new SimulatedEndpoint.Stats(7, 3, 4, 0));
  }

  @Test
  void bedrockServedTheFailedOverCallsOnConverseAndTheBrokenStreamOnConverseStream() {
    // steps 2, 3 (two calls), 4 (three calls) on converse; step 5's stream on converse-stream.
    assertThat(report.requestPaths().get("bedrock")).hasSize(7)
        .containsExactly(CONVERSE, CONVERSE, CONVERSE, CONVERSE, CONVERSE, CONVERSE, CONVERSE_STREAM);
    assertThat(report.simulators().get("bedrock")).isEqualTo(new SimulatedEndpoint.Stats(7, 7, 0, 0));
  }

  @Test
  void azureAnswersOnTheResponsesApiAreReadIntoTextAndUsage() {
    CallRecord c = step(1).get(0);
    assertThat(c.attemptSummary()).containsExactly("azure-east:SUCCEEDED");
    assertThat(c.text()).isEqualTo("Hello from Azure OpenAI: deployment gpt4o-prod answered this on the simulated endpoint.");
    assertThat(c.usage().inputTokens()).isPositive();
    assertThat(c.usage().outputTokens()).isPositive();
    assertThat(step(3).get(2).attemptSummary()).containsExactly("azure-east:SUCCEEDED");
    assertThat(step(4).get(3).attemptSummary()).containsExactly("azure-east:SUCCEEDED");
  }

  @Test
  void faultsOnTheResponsesApiAreClassifiedAsOnChatCompletions() {
    assertThat(step(2).get(0).attemptSummary()).containsExactly("azure-east:FAILED:UNAVAILABLE", "azure-east:FAILED:UNAVAILABLE",
        "bedrock-west:SUCCEEDED");
    assertThat(step(3).get(0).attemptSummary()).containsExactly("azure-east:FAILED:RATE_LIMITED", "bedrock-west:SUCCEEDED");
    assertThat(step(3).get(1).attemptSummary()).containsExactly("azure-east:SKIPPED", "bedrock-west:SUCCEEDED");
  }

  @Test
  void aResponsesStreamEndingAfterResponseCreatedIsProtocolAndFailsOverInvisibly() {
    CallRecord c = step(5).get(0);
    assertThat(c.attemptSummary()).containsExactly("azure-east:FAILED:PROTOCOL", "bedrock-west:SUCCEEDED");
    assertThat(c.text()).startsWith("Hello from Amazon Bedrock").doesNotContain("Azure");
  }

  @Test
  void badApiValuesAreRejected() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FailoverDemo.run(out, Map.of(), "--api", "soap")).hasMessageContaining("unknown --api 'soap'");
    assertThatThrownBy(() -> FailoverDemo.run(out, Map.of(), "--api")).hasMessageContaining("--api needs a value");
    assertThatThrownBy(() -> FailoverDemo.run(out, Map.of(), "--real", "--api", "responses"))
        .hasMessageContaining("simulators only");
  }
}
