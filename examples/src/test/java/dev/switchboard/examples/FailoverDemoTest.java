package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.examples.demo.CallRecord;
import dev.switchboard.examples.demo.DemoReport;
import dev.switchboard.examples.demo.StepRecord;
import dev.switchboard.examples.demo.Summary;
import dev.switchboard.examples.sim.SimulatedEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the failover demo's main walkthrough in-process on the simulators and checks every step's outcome. */
class FailoverDemoTest {
  private static DemoReport report;
  private static String output;

  @BeforeAll
  static void runTheDemo() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      // --fast moves Switchboard's clock past cooldowns and open circuits instead of sleeping.
      report = FailoverDemo.run(out, Map.of("CI", "true"), "--simulated", "--fast");
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
  }

  @Test
  void step1ANormalCallIsServedByAzure() {
    CallRecord c = step(1).get(0);
    assertThat(c.servedBy()).contains("azure-east");
    assertThat(c.attemptSummary()).containsExactly("azure-east:SUCCEEDED");
    assertThat(c.text()).startsWith("Hello from Azure OpenAI");
    assertThat(c.usage().outputTokens()).isPositive();
  }

  @Test
  void step2Two503sAreRetriedThenFailOverToBedrock() {
    CallRecord c = step(2).get(0);
    assertThat(c.servedBy()).contains("bedrock-west");
    assertThat(c.attemptSummary()).containsExactly("azure-east:FAILED:UNAVAILABLE", "azure-east:FAILED:UNAVAILABLE",
        "bedrock-west:SUCCEEDED");
    assertThat(c.retryDelays()).hasSize(1);
  }

  @Test
  void step3A429CoolsAzureDownThenItServesAgain() {
    List<CallRecord> calls = step(3);
    assertThat(calls).extracting(c -> c.servedBy().orElseThrow()).containsExactly("bedrock-west", "bedrock-west", "azure-east");
    assertThat(calls.get(0).attemptSummary()).containsExactly("azure-east:FAILED:RATE_LIMITED", "bedrock-west:SUCCEEDED");
    assertThat(calls.get(1).attemptSummary()).containsExactly("azure-east:SKIPPED", "bedrock-west:SUCCEEDED");
    assertThat(calls.get(1).attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("cooling down"));
    assertThat(calls.get(2).attemptSummary()).containsExactly("azure-east:SUCCEEDED");
  }

  @Test
  void step4RefusedConnectionsOpenTheCircuitAndAProbeClosesIt() {
    List<CallRecord> calls = step(4);
    assertThat(calls).extracting(c -> c.servedBy().orElseThrow())
        .containsExactly("bedrock-west", "bedrock-west", "bedrock-west", "azure-east");
    assertThat(calls.get(0).attemptSummary()).containsExactly("azure-east:FAILED:NETWORK", "azure-east:FAILED:NETWORK",
        "bedrock-west:SUCCEEDED");
    assertThat(calls.get(0).circuitChanges()).containsExactly("azure-east CLOSED -> OPEN");
    for (CallRecord skipped : calls.subList(1, 3)) {
      assertThat(skipped.attemptSummary()).containsExactly("azure-east:SKIPPED", "bedrock-west:SUCCEEDED");
      assertThat(skipped.attempts().get(0).note()).contains("circuit open");
    }
    assertThat(calls.get(3).attemptSummary()).containsExactly("azure-east:SUCCEEDED");
    assertThat(calls.get(3).circuitChanges()).containsExactly("azure-east OPEN -> HALF_OPEN", "azure-east HALF_OPEN -> CLOSED");
  }

  @Test
  void step5AStreamBrokenBeforeItsFirstTokenFailsOverInvisibly() {
    CallRecord c = step(5).get(0);
    assertThat(c.servedBy()).contains("bedrock-west");
    assertThat(c.attemptSummary()).containsExactly("azure-east:FAILED:PROTOCOL", "bedrock-west:SUCCEEDED");
    assertThat(c.text()).startsWith("Hello from Amazon Bedrock").doesNotContain("Azure");
  }

  @Test
  void theSimulatorsSawExactlyTheRequestsTheTracesShow() {
    // Azure: 1 + 2 (503s) + 1 (429) + 1 + 1 (probe) + 1 (broken stream); refused connections never arrive.
    assertThat(report.simulators().get("azure")).isEqualTo(new SimulatedEndpoint.Stats(7, 3, 4, 0));
    assertThat(report.simulators().get("bedrock")).isEqualTo(new SimulatedEndpoint.Stats(7, 7, 0, 0));
  }

  @Test
  void theMetricsSummaryAgreesWithTheTraces() {
    Summary s = report.summary();
    assertThat(s.calls()).isEqualTo(10);
    assertThat(s.failovers()).isEqualTo(4);
    assertThat(s.retries()).isEqualTo(2);
    Summary.Row azure = s.rows().get("azure-east");
    assertThat(List.of(azure.attempts(), azure.ok(), azure.failed(), azure.skipped(), azure.served())).containsExactly(9L, 3L, 6L, 3L, 3L);
    assertThat(azure.failedBy()).containsExactlyInAnyOrderEntriesOf(
        Map.of("unavailable", 2L, "rate_limited", 1L, "network", 2L, "protocol", 1L));
    assertThat(azure.skippedBy()).containsExactlyInAnyOrderEntriesOf(Map.of("cooling_down", 1L, "circuit_open", 2L));
    assertThat(azure.circuit()).isEqualTo("closed");
    Summary.Row bedrock = s.rows().get("bedrock-west");
    assertThat(List.of(bedrock.attempts(), bedrock.ok(), bedrock.failed(), bedrock.skipped(), bedrock.served()))
        .containsExactly(7L, 7L, 0L, 0L, 7L);
    long tokensFromTraces = report.steps().stream().flatMap(st -> st.calls().stream())
        .filter(c -> c.servedBy().equals(java.util.Optional.of("bedrock-west"))).mapToLong(c -> c.usage().outputTokens()).sum();
    assertThat(bedrock.outputTokens()).isEqualTo(tokensFromTraces).isPositive();
  }

  @Test
  void theOutputShowsTracesAndTheSummaryTable() {
    assertThat(output).contains("1. A normal call", "5. A stream that breaks before its first token",
        "skipped   azure-east    circuit open", "Summary: 10 calls, from Switchboard's Micrometer metrics", "circuit transitions: azure-east CLOSED -> OPEN");
    assertThat(output).doesNotContain("UNEXPECTED");
  }

  @Test
  void badArgumentsAreRejected() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FailoverDemo.run(out, Map.of(), "--bogus")).hasMessageContaining("unknown argument '--bogus'");
    assertThatThrownBy(() -> FailoverDemo.run(out, Map.of(), "--real"))
        .hasMessageContaining("--real needs [AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, AZURE_OPENAI_DEPLOYMENT]");
  }

  @Test
  void credentialsInTheEnvironmentSelectRealEndpointsOnlyOutsideCi() {
    Map<String, String> env = Map.of("AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com", "AZURE_OPENAI_API_KEY", "k",
        "AZURE_OPENAI_DEPLOYMENT", "d", "AWS_PROFILE", "p");
    assertThat(FailoverDemo.cloudCredentialsPresent(env)).isTrue();
    assertThat(FailoverDemo.cloudCredentialsPresent(Map.of("AWS_PROFILE", "p"))).isFalse();
  }
}
