package dev.switchboard.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 2, with every provider on the classpath: core keys and provider settings are
 * checked in one pass and reported in one {@link ConfigException}, one problem per line, each
 * with its path once, a "did you mean" where one is near, and the file in the header.
 */
class MixedConfigProblemsTest {
  @TempDir Path dir;

  @Test
  void coreAndProviderTyposAndAnUnknownTypeAreReportedTogether() throws IOException {
    Path file = dir.resolve("switchboard.yaml");
    Files.writeString(file, """
        deployments:
          azure-east:
            type: azure-openai
            endpiont: https://east.openai.azure.com
            api-key: ${AZURE_KEY}
          bedrock-west:
            type: bedrock
            region: us-west-2
            auth: profile
            profil: prod
          openai-main:
            type: openai
            base-url: http://api.example.com/v1
          third:
            type: openia
        models:
          chat:
            stratgy: priority
            targets:
              - {deployment: azure-east, model: gpt-4o}
              - {deployment: bedrock-wset, model: openai.gpt-oss-120b-1:0}
        """);
    ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("AZURE_KEY", "azure-key-value-123"));

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));

    assertThat(e.problems()).containsExactly(
        "deployments.azure-east.endpiont: unknown key; did you mean 'endpoint'?",
        "deployments.bedrock-west.profil: unknown key; did you mean 'profile'?",
        "deployments.openai-main.base-url: not an https URL (plain http is allowed only to loopback, unless"
            + " http.allow-plain-http is true in the configuration file, or HttpSettings.withAllowPlainHttp(true) in code):"
            + " http://api.example.com/v1",
        "deployments.third.type: unknown provider type 'openia'; did you mean 'openai'?",
        "models.chat.stratgy: unknown key; did you mean 'strategy'?",
        "models.chat.targets[1].deployment: unknown deployment 'bedrock-wset'; did you mean 'bedrock-west'?");
    assertThat(e.source()).contains(file.toString());
    String[] lines = e.getMessage().split("\n");
    assertThat(lines[0]).isEqualTo("invalid Switchboard configuration in " + file + " (6 problems):");
    assertThat(lines).hasSize(1 + e.problems().size());
    for (int i = 0; i < e.problems().size(); i++) assertThat(lines[i + 1]).isEqualTo("  - " + e.problems().get(i));
    assertThat(e.getMessage()).doesNotContain("azure-key-value-123").doesNotContain("': deployments.").doesNotContain("; deployments.");
  }

  @Test
  void plainHttpAllowedInTheFileIsHonouredWhenTheEndpointsAreChecked() throws IOException {
    Path file = dir.resolve("plain.yaml");
    Files.writeString(file, """
        http: {allow-plain-http: true}
        deployments:
          openai-main: {type: openai, base-url: "http://api.example.com/v1", api-key: sk-test}
        models:
          chat: {targets: [{deployment: openai-main, model: gpt-4o}]}
        """);
    try (Switchboard sb = ConfigLoader.withEnvironment(Map.of()).load(file).build()) {
      assertThat(sb).isNotNull();
    }
  }

  @Test
  void aProblemOnlyTheBuildCanFindStillNamesTheFile() throws IOException {
    // Neither auth nor api-key: a token supplier registered in code would make it valid, so only build() can tell.
    Path file = dir.resolve("late.yaml");
    Files.writeString(file, """
        deployments:
          azure-east: {type: azure-openai, endpoint: "https://east.openai.azure.com"}
        models:
          chat: {targets: [{deployment: azure-east, model: gpt-4o}]}
        """);
    Switchboard.Builder builder = ConfigLoader.withEnvironment(Map.of()).load(file);
    assertThatThrownBy(builder::build).isInstanceOf(ConfigException.class)
        .hasMessage("invalid Switchboard configuration in " + file + " (1 problem):\n"
            + "  - deployments.azure-east.api-key: missing; auth is api-key (set auth: entra to use Entra ID tokens)");
  }
}
