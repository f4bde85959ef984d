package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's Responses API YAML is configuration that builds (both providers are on this module's classpath). */
class ResponsesReadmeYamlTest {
  @Test
  void theReadmeYamlBuildsBothResponsesDeployments() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("\n## The OpenAI Responses API\n");
    assertThat(section).as("README section").isNotNegative();
    int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
    String yaml = readme.substring(start, readme.indexOf("```", start))
        + "models:\n  chat:\n    targets:\n      - {deployment: azure-responses, model: gpt-5}\n"
        + "      - {deployment: openai-responses, model: gpt-5}\n";
    try (Switchboard sb = ConfigLoader.withEnvironment(Map.of("OPENAI_API_KEY", "sk-test-1", "AZURE_OPENAI_API_KEY", "az-test-1"))
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).build()) {
      assertThat(sb).isNotNull();
    }
  }
}
