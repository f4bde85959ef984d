package dev.switchboard.examples.demo;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.examples.sim.SimulatedAzureOpenAi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The walkthrough against real Azure OpenAI and Bedrock endpoints ({@code failover-real.yaml}).
 * Real endpoints cannot be told to fail on cue, so it shows what can be shown honestly: a normal
 * and a streamed call served by Azure, then the same configuration with Azure's endpoint made
 * unreachable (a closed local port) so that real Bedrock serves.
 */
public final class RealRun {
  public static final String CONFIG = "failover-real.yaml";
  /** What the real run needs from the environment (AWS credentials come from the default chain). */
  public static final List<String> REQUIRED = List.of("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_DEPLOYMENT");

  private final PrintStream out;
  private final Map<String, String> environment;

  public RealRun(PrintStream out, Map<String, String> environment) {
    this.out = out;
    this.environment = Map.copyOf(environment);
  }

  public DemoReport run() {
    out.println("Switchboard failover demo: REAL endpoints (" + CONFIG + "); this makes a few small billed calls");
    Recorder recorder = new Recorder();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (Switchboard sb = load(environment).meterRegistry(metrics).callListenerFactory(recorder).build()) {
      Walkthrough w = new Walkthrough(sb, recorder, out, "chat");
      w.step(1, "A normal call", "Azure serves while it is healthy.");
      CallRecord c = w.chat("call 1", "What is the capital of France? Answer in one word.");
      w.expect(c.servedBy().orElse("").equals("azure-east"), "served by azure-east");
      w.step(2, "A streamed call", "Tokens are printed as they arrive.");
      c = w.stream("call 1", "Count from one to five in words.");
      w.expect(c.servedBy().orElse("").equals("azure-east"), "served by azure-east");
      List<StepRecord> steps = w.steps();
      List<CallRecord> calls = new java.util.ArrayList<>(w.allCalls());
      // Azure made unreachable for real: its endpoint pointed at a local port that refuses connections.
      try (SimulatedAzureOpenAi closed = SimulatedAzureOpenAi.start("unused", "unused")) {
        closed.refuseConnections();
        Map<String, String> broken = new HashMap<>(environment);
        broken.put("AZURE_OPENAI_ENDPOINT", closed.url().toString());
        try (Switchboard outage = load(broken).meterRegistry(metrics).callListenerFactory(recorder).build()) {
          Walkthrough w3 = new Walkthrough(outage, recorder, out, "chat");
          w3.step(3, "Azure unreachable", "Azure's endpoint refuses connections (" + closed.url() + "); real Bedrock serves.");
          c = w3.chat("call 1", "What is the capital of France? Answer in one word.");
          w3.expect(c.servedBy().orElse("").equals("bedrock-west"), "served by bedrock-west");
          steps = new java.util.ArrayList<>(steps);
          steps.addAll(w3.steps());
          calls.addAll(w3.allCalls());
        }
      }
      out.println();
      out.println("   (The scripted incidents - 503s, 429 cooldown, circuit breaker, broken stream - need the simulators:"
          + " run without --real.)");
      Summary.awaitCalls(metrics, calls.size());
      Summary summary = new Summary(metrics, calls.stream().flatMap(r -> r.circuitChanges().stream()).toList());
      summary.print(out);
      return new DemoReport(steps, summary, Map.of());
    }
  }

  private static Switchboard.Builder load(Map<String, String> environment) {
    try (InputStream in = RealRun.class.getResourceAsStream("/" + CONFIG)) {
      if (in == null) throw new IllegalStateException(CONFIG + " is missing from the classpath");
      return ConfigLoader.withEnvironment(environment).load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
