package dev.switchboard.examples.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.sim.SimulatedAzureOpenAi;
import dev.switchboard.examples.sim.SimulatedBedrock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-provider examples: without credentials they say what they need and call nothing;
 * given endpoints (here the loopback simulators, which check keys and signatures) they run.
 */
class ProviderExamplesTest {
  private final SimulatedAzureOpenAi azure = SimulatedAzureOpenAi.start("azure-key", "gpt4o-prod", "embed-small")
      .acceptBearerToken("openai-key");
  private final SimulatedBedrock bedrock = SimulatedBedrock.start("us-west-2", BedrockExample.DEFAULT_MODEL);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  @AfterEach
  void close() {
    azure.close();
    bedrock.close();
  }

  private String output() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutCredentialsEachExampleSaysWhatItNeedsAndCallsNothing() {
    Map<String, BiFunction<PrintStream, Map<String, String>, Boolean>> examples = Map.of(
        "OpenAiExample", OpenAiExample::run, "AzureOpenAiExample", AzureOpenAiExample::run,
        "BedrockExample", BedrockExample::run, "EmbeddingsExample", EmbeddingsExample::run);
    examples.forEach((name, example) -> assertThat(example.apply(out, Map.of())).as(name).isFalse());
    assertThat(output()).contains("OpenAiExample needs real credentials", "OPENAI_API_KEY",
        "AzureOpenAiExample needs real credentials", "AZURE_OPENAI_DEPLOYMENT",
        "BedrockExample needs real credentials", "AWS_BEARER_TOKEN_BEDROCK",
        "EmbeddingsExample needs real credentials");
    assertThat(azure.stats().requests()).isZero();
    assertThat(bedrock.stats().requests()).isZero();
  }

  @Test
  void openAiExampleRunsAgainstAnOpenAiCompatibleServer() {
    // The Azure simulator's /openai/v1 surface speaks the OpenAI protocol with a bearer key.
    boolean ran = OpenAiExample.run(out, Map.of("OPENAI_API_KEY", "openai-key",
        "OPENAI_BASE_URL", azure.url() + "/openai/v1", "OPENAI_MODEL", "gpt4o-prod"));
    assertThat(ran).isTrue();
    assertThat(output()).contains("Hello from Azure OpenAI", "openai(openai:gpt4o-prod)", "streamed: Hello from Azure OpenAI");
    assertThat(azure.stats().answered()).isEqualTo(2);
  }

  @Test
  void azureExampleRunsAndShowsTheContentFilterResults() {
    boolean ran = AzureOpenAiExample.run(out, Map.of("AZURE_OPENAI_ENDPOINT", azure.url().toString(),
        "AZURE_OPENAI_API_KEY", "azure-key", "AZURE_OPENAI_DEPLOYMENT", "gpt4o-prod"));
    assertThat(ran).isTrue();
    assertThat(output()).contains("Hello from Azure OpenAI", "azure(azure-openai:gpt4o-prod)", "prompt filtered: false",
        "answer filter categories:");
  }

  @Test
  void bedrockExampleSignsWithAccessKeys() {
    boolean ran = BedrockExample.run(out, Map.of("AWS_ACCESS_KEY_ID", SimulatedBedrock.TEST_ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY", SimulatedBedrock.TEST_SECRET_ACCESS_KEY, "BEDROCK_ENDPOINT", bedrock.url().toString()));
    assertThat(ran).isTrue();
    assertThat(output()).contains("Hello from Amazon Bedrock", "bedrock(bedrock:openai.gpt-oss-120b-1:0)",
        "Bedrock latency", "streamed: Hello from Amazon Bedrock");
    assertThat(bedrock.stats().rejected()).isZero();
  }

  @Test
  void bedrockExampleUsesABedrockApiKey() {
    bedrock.acceptApiKey("ABSK-example-key");
    boolean ran = BedrockExample.run(out, Map.of("AWS_BEARER_TOKEN_BEDROCK", "ABSK-example-key",
        "BEDROCK_ENDPOINT", bedrock.url().toString()));
    assertThat(ran).isTrue();
    assertThat(bedrock.stats().answered()).isEqualTo(2);
  }

  @Test
  void embeddingsExampleRanksTheDocumentThatAnswersTheQuestionFirst() {
    boolean ran = EmbeddingsExample.run(out, Map.of("OPENAI_API_KEY", "openai-key",
        "OPENAI_BASE_URL", azure.url() + "/openai/v1", "OPENAI_EMBEDDING_MODEL", "embed-small"));
    assertThat(ran).isTrue();
    String[] lines = output().split("\\R");
    assertThat(lines[0]).contains("5 vectors of 64 dimensions from openai(openai:embed-small)");
    assertThat(lines[1]).endsWith("A stuck virtual machine can be restarted from the console.");
  }
}
