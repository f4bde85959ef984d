package dev.switchboard.examples.demo;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.examples.sim.Fault;
import dev.switchboard.examples.sim.SimulatedAzureOpenAi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.switchboard.examples.sim.SimulatedBedrock;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The walkthrough on simulated endpoints: a simulated Azure OpenAI and a simulated Bedrock on
 * loopback, Switchboard configured from {@code failover-demo.yaml} with their URLs and test
 * credentials substituted, and five incidents scripted on the Azure side.
 */
public final class SimulatedRun {
  public static final String CONFIG = "failover-demo.yaml";
  /** The same walkthrough with Azure on the Responses API ({@code --api responses}). */
  public static final String RESPONSES_CONFIG = "failover-demo-responses.yaml";
  static final String AZURE_KEY = "sim-azure-key-not-a-real-one";
  static final String AZURE_DEPLOYMENT = "gpt4o-prod";
  static final String BEDROCK_MODEL = "openai.gpt-oss-120b-1:0";
  private static final Duration RETRY_AFTER = Duration.ofSeconds(3);
  private static final Duration WAIT_IN_OPEN = Duration.ofSeconds(3); // as in failover-demo.yaml

  private final PrintStream out;
  private final boolean fast;
  private final boolean responses;
  private final String config;

  /** {@code fast}: skip the cooldown and open-circuit waits by moving Switchboard's clock instead of sleeping. */
  public SimulatedRun(PrintStream out, boolean fast) {
    this(out, fast, false);
  }

  /**
   * {@code responses}: Azure is configured with {@code api: responses} ({@link #RESPONSES_CONFIG}),
   * so its calls go to {@code /openai/v1/responses} and fail over to Bedrock's Converse API.
   */
  public SimulatedRun(PrintStream out, boolean fast, boolean responses) {
    this.out = out;
    this.fast = fast;
    this.responses = responses;
    this.config = responses ? RESPONSES_CONFIG : CONFIG;
  }

  public DemoReport run() {
    try (SimulatedAzureOpenAi azure = SimulatedAzureOpenAi.start(AZURE_KEY, AZURE_DEPLOYMENT);
        SimulatedBedrock bedrock = SimulatedBedrock.start("us-west-2", BEDROCK_MODEL)) {
      azure.latency(Duration.ofMillis(30)).tokenDelay(Duration.ofMillis(15));
      bedrock.latency(Duration.ofMillis(45)).tokenDelay(Duration.ofMillis(15));
      Map<String, String> environment = Map.of(
          "AZURE_OPENAI_ENDPOINT", azure.url().toString(),
          "AZURE_OPENAI_API_KEY", AZURE_KEY,
          "BEDROCK_ENDPOINT", bedrock.url().toString(),
          "BEDROCK_ACCESS_KEY_ID", SimulatedBedrock.TEST_ACCESS_KEY_ID,
          "BEDROCK_SECRET_ACCESS_KEY", SimulatedBedrock.TEST_SECRET_ACCESS_KEY);
      out.println("Switchboard failover demo: simulated endpoints on loopback, no cloud account needed");
      out.println("   Azure OpenAI  " + azure.url() + "  deployment " + AZURE_DEPLOYMENT + (responses
          ? " on the Responses API, /openai/v1/responses (api-key checked)" : " (api-key and api-version checked)"));
      out.println("   Bedrock       " + bedrock.url() + "  model " + BEDROCK_MODEL + " (every SigV4 signature verified)");
      out.println("   config        " + config + ": alias 'chat' -> azure-east first, bedrock-west second");
      DemoClock clock = new DemoClock();
      Recorder recorder = new Recorder();
      Switchboard.Builder builder;
      try (InputStream in = SimulatedRun.class.getResourceAsStream("/" + config)) {
        if (in == null) throw new IllegalStateException(config + " is missing from the classpath");
        builder = ConfigLoader.withEnvironment(environment).load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      try (Switchboard sb = builder.time(clock).meterRegistry(metrics).callListenerFactory(recorder).build()) {
        Walkthrough w = new Walkthrough(sb, recorder, out, "chat");
        steps(w, azure, bedrock, clock);
        List<StepRecord> steps = w.steps();
        Summary.awaitCalls(metrics, w.allCalls().size());
        Summary summary = new Summary(metrics, w.allCalls().stream().flatMap(c -> c.circuitChanges().stream()).toList());
        summary.print(out);
        out.println("   requests that reached the simulators: Azure " + azure.stats() + "; Bedrock " + bedrock.stats());
        return new DemoReport(steps, summary, Map.of("azure", azure.stats(), "bedrock", bedrock.stats()),
            Map.of("azure", azure.requestPaths(), "bedrock", bedrock.requestPaths()));
      }
    }
  }

  private void steps(Walkthrough w, SimulatedAzureOpenAi azure, SimulatedBedrock bedrock, DemoClock clock) {
    w.step(1, "A normal call", "Azure is healthy, so the first target serves.");
    CallRecord c = w.chat("call 1", "What is the capital of France?");
    w.expect(c, "azure-east", "azure-east:SUCCEEDED");
    w.note("(The first call of a fresh JVM includes class loading and connection set-up.)");

    w.step(2, "Azure returns 503 twice", "A 503 is retried once on Azure; the second 503 fails the call over to Bedrock.");
    azure.enqueue(2, Fault.serviceUnavailable());
    c = w.chat("call 1", "Summarise the plot of Hamlet in one sentence.");
    w.expect(c, "bedrock-west", "azure-east:FAILED:UNAVAILABLE", "azure-east:FAILED:UNAVAILABLE", "bedrock-west:SUCCEEDED");

    w.step(3, "Azure rate-limits: 429 with Retry-After: " + RETRY_AFTER.toSeconds(),
        "Too long to wait inside a call: fail over at once, and skip Azure until the Retry-After has passed.");
    azure.enqueue(Fault.rateLimited(RETRY_AFTER));
    c = w.chat("call 1", "Translate 'good morning' into French.");
    w.expect(c, "bedrock-west", "azure-east:FAILED:RATE_LIMITED", "bedrock-west:SUCCEEDED");
    int azureRequests = azure.stats().requests();
    c = w.chat("call 2", "And into German?");
    w.expect(c, "bedrock-west", "azure-east:SKIPPED", "bedrock-west:SUCCEEDED");
    w.expect(azure.stats().requests() == azureRequests, "no request reached Azure while it cooled down");
    waitFor(RETRY_AFTER.plusMillis(100), "the Retry-After to pass", clock);
    c = w.chat("call 3", "And into Italian?");
    w.expect(c, "azure-east", "azure-east:SUCCEEDED");

    w.step(4, "Azure refuses connections", "Failed connections count against Azure's circuit breaker; once it opens,"
        + " calls go straight to Bedrock.");
    azure.refuseConnections();
    c = w.chat("call 1", "Name three prime numbers.");
    w.expect(c, "bedrock-west", "azure-east:FAILED:NETWORK", "azure-east:FAILED:NETWORK", "bedrock-west:SUCCEEDED");
    w.expect(c.circuitChanges().contains("azure-east CLOSED -> OPEN"), "azure-east's circuit opened");
    w.note("The circuit opened: its window of 6 attempts still held step 2's two 503s, so 4 of 6 had failed (>= 60 %).");
    c = w.chat("call 2", "Name three more.");
    w.expect(c, "bedrock-west", "azure-east:SKIPPED", "bedrock-west:SUCCEEDED");
    c = w.chat("call 3", "And the next three?");
    w.expect(c, "bedrock-west", "azure-east:SKIPPED", "bedrock-west:SUCCEEDED");
    w.note("Azure accepts connections again; its circuit stays open for wait-in-open (" + WAIT_IN_OPEN.toSeconds() + " s).");
    azure.acceptConnections();
    waitFor(WAIT_IN_OPEN.plusMillis(100), "the circuit's wait-in-open", clock);
    c = w.chat("call 4", "Is 97 prime?");
    w.expect(c, "azure-east", "azure-east:SUCCEEDED");
    w.expect(c.circuitChanges().equals(List.of("azure-east OPEN -> HALF_OPEN", "azure-east HALF_OPEN -> CLOSED")),
        "the half-open probe closed azure-east's circuit");

    w.step(5, "A stream that breaks before its first token", "Azure starts the stream and cuts it before any text;"
        + " nothing reached the caller yet, so the stream fails over to Bedrock invisibly.");
    azure.enqueue(Fault.failStreamBeforeFirstToken());
    c = w.stream("call 1", "Write a haiku about failover.");
    w.expect(c, "bedrock-west", "azure-east:FAILED:PROTOCOL", "bedrock-west:SUCCEEDED");
    w.expect(c.text().startsWith("Hello from Amazon Bedrock"), "the caller saw only Bedrock's tokens");
    if (responses) {
      w.expect(!azure.requestPaths().isEmpty() && azure.requestPaths().stream().allMatch("/openai/v1/responses"::equals),
          "every request Azure received was on /openai/v1/responses");
    }
  }

  private void waitFor(Duration d, String what, DemoClock clock) {
    if (fast) {
      out.println("   ... skipping " + d.toMillis() + " ms for " + what + " (--fast moves Switchboard's clock)");
      clock.advance(d);
      return;
    }
    out.println("   ... waiting " + d.toMillis() + " ms for " + what);
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
