package dev.switchboard.examples.boot;

import dev.switchboard.examples.sim.SimulatedAzureOpenAi;
import dev.switchboard.examples.sim.SimulatedBedrock;
import java.time.Duration;
import java.util.Map;

/**
 * The failover demo's simulated Azure OpenAI and Bedrock endpoints on loopback, and the
 * {@code sim.*} properties that point {@code application.yaml} at them.
 */
public final class Simulators implements AutoCloseable {
  static final String AZURE_KEY = "sim-azure-key-not-a-real-one";

  final SimulatedAzureOpenAi azure;
  final SimulatedBedrock bedrock;

  private Simulators(SimulatedAzureOpenAi azure, SimulatedBedrock bedrock) {
    this.azure = azure;
    this.bedrock = bedrock;
  }

  public static Simulators start() {
    SimulatedAzureOpenAi azure = SimulatedAzureOpenAi.start(AZURE_KEY, "gpt4o-prod");
    SimulatedBedrock bedrock = SimulatedBedrock.start("us-west-2", "openai.gpt-oss-120b-1:0");
    azure.latency(Duration.ofMillis(30));
    bedrock.latency(Duration.ofMillis(45));
    return new Simulators(azure, bedrock);
  }

  public Map<String, Object> properties() {
    return Map.of(
        "sim.azure.url", azure.url().toString(),
        "sim.azure.api-key", AZURE_KEY,
        "sim.bedrock.url", bedrock.url().toString(),
        "sim.bedrock.access-key-id", SimulatedBedrock.TEST_ACCESS_KEY_ID,
        "sim.bedrock.secret-access-key", SimulatedBedrock.TEST_SECRET_ACCESS_KEY);
  }

  public SimulatedAzureOpenAi azure() {
    return azure;
  }

  public SimulatedBedrock bedrock() {
    return bedrock;
  }

  @Override
  public void close() {
    azure.close();
    bedrock.close();
  }
}
