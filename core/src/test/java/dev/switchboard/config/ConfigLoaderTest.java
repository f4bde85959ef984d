package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Switchboard;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static Switchboard.Builder load(String yaml, Map<String, String> env) {
    return ConfigLoader.withEnvironment(env).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static ConfigException problems(String yaml, Map<String, String> env) {
    try {
      load(yaml, env).build();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void aValidFileBuildsAWorkingSwitchboard() {
    String yaml = """
        deployments:
          primary: {type: mock, fail: unavailable}
          secondary: {type: mock, reply: "${GREETING:-hello from config}", latency-ms: 0}
        models:
          chat:
            targets:
              - {deployment: primary, model: gpt-4o, context-window: 128000}
              - {deployment: secondary, model: claude, price: {input-per-1k: 0.003, output-per-1k: 0.015}}
        http:
          connect-timeout: 2s
          read-timeout: PT30S
          max-requests: 64
        timeout: 45s
        """;
    try (Switchboard sb = load(yaml, Map.of()).build()) {
      ChatResponse r = sb.chat(ChatRequest.of("chat", "hi"));
      assertThat(r.text()).isEqualTo("hello from config");
      assertThat(r.servedBy().deployment()).isEqualTo("secondary");
    }
  }

  @Test
  void jsonWorksToo() {
    String json = "{\"deployments\":{\"m\":{\"type\":\"mock\",\"reply\":\"json!\"}},"
        + "\"models\":{\"chat\":{\"targets\":[{\"deployment\":\"m\",\"model\":\"x\"}]}}}";
    try (Switchboard sb = Switchboard.fromConfig(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))) {
      assertThat(sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("json!");
    }
  }

  @Test
  void unknownKeysAreRejectedWithTheNearestValidKey() {
    ConfigException e = problems("""
        deployment: {}
        models:
          chat:
            targest: []
        http: {conect-timeout: 1s, colour: red}
        """, Map.of());
    assertThat(e.problems()).contains(
        "deployment: unknown key; did you mean 'deployments'?",
        "models.chat.targest: unknown key; did you mean 'targets'?",
        "http.conect-timeout: unknown key; did you mean 'connect-timeout'?",
        "deployments: missing",
        "models.chat: missing 'targets'");
    assertThat(e.problems()).anyMatch(p -> p.startsWith("http.colour: unknown key; valid keys: ["));
  }

  @Test
  void missingEnvironmentVariablesAreNamedAndSecretsNeverEchoed() {
    ConfigException e = problems("""
        deployments:
          azure-east: {type: mock, reply: "${REPLY_TEXT}", api-key: "${AZURE_KEY}"}
        models:
          chat: {targets: [{deployment: azure-east, model: gpt-4o}]}
        """, Map.of("UNRELATED", "x"));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "deployments.azure-east.reply: environment variable REPLY_TEXT is not set (use ${REPLY_TEXT:-default} for a default)",
        "deployments.azure-east.api-key: environment variable AZURE_KEY is not set (use ${AZURE_KEY:-default} for a default)");
  }

  @Test
  void providerProblemsAreReportedWithTheDeploymentAndNeverTheSecret() {
    ConfigException e = problems("""
        deployments:
          m: {type: mock, latency-ms: soon, api-key: "${KEY}"}
          n: {type: nonexistent}
        models:
          chat: {targets: [{deployment: m, model: x}, {deployment: ghost, model: y}]}
        """, Map.of("KEY", "super-secret-value-123"));
    assertThat(e.getMessage()).doesNotContain("super-secret-value-123");
    assertThat(e.problems()).contains(
        "deployments.m.latency-ms: 'soon' is not a non-negative integer",
        "deployments.m.api-key: mock deployments take no secrets",
        "deployments.n.type: unknown provider type 'nonexistent'; known types: [mock]; add the provider module to the"
            + " classpath or pass its factory to Switchboard.Builder.providerFactory (ConfigLoader.withProviderFactory for a file)",
        "models.chat.targets[1].deployment: unknown deployment 'ghost'; deployments: [m, n]");
  }

  @Test
  void badValuesNameTheirPath() {
    ConfigException e = problems("""
        deployments:
          a: {region: eastus}
          b: [1, 2]
        models:
          chat:
            targets:
              - {deployment: a, model: m, priority: first, weight: -1}
              - {model: m}
        http: {read-timeout: forever, max-requests: 0}
        timeout: 10
        """, Map.of());
    assertThat(e.problems()).contains(
        "deployments.a: missing 'type' (e.g. openai, azure-openai, bedrock, mock)",
        "deployments.b: must be a mapping (key: value), not a list",
        "models.chat.targets[0].priority: 'first' is not a whole number",
        "models.chat.targets[0].weight: must not be negative",
        "models.chat.targets[1]: missing 'deployment'",
        "http.read-timeout: 'forever' is not a duration (e.g. 500ms, 10s, 2m, PT10S)",
        "http.max-requests: must be at least 1",
        "timeout: '10' is not a duration (e.g. 500ms, 10s, 2m, PT10S)");
  }

  @Test
  void secretsFromFilesAndEnvironment() throws Exception {
    Path secretFile = dir.resolve("key.txt");
    Files.writeString(secretFile, "file-secret\n");
    Switchboard.Builder b = load("""
        deployments:
          m: {type: mock}
        models:
          chat: {targets: [{deployment: m, model: x}]}
        """, Map.of());
    assertThat(b).isNotNull();
    ConfigException e = problems("""
        deployments:
          m: {type: mock, api-key: {file: "%s"}, other-token: {env: TOKEN_VAR}, bad-secret: {path: x}, gone-key: {file: "%s"}}
        models:
          chat: {targets: [{deployment: m, model: x}]}
        """.formatted(secretFile, dir.resolve("missing.txt")), Map.of("TOKEN_VAR", "env-secret"));
    // The secrets resolved; the mock rejects them, naming the problem but never the values.
    assertThat(e.getMessage()).doesNotContain("file-secret").doesNotContain("env-secret");
    assertThat(e.problems()).contains(
        "deployments.m.bad-secret.path: unknown key; valid keys: [env, file]",
        "deployments.m.bad-secret: a secret mapping needs 'file' or 'env'");
    assertThat(e.problems()).anyMatch(p -> p.startsWith("deployments.m.gone-key: secret file ") && p.endsWith(" does not exist"));
  }

  @Test
  void malformedDocumentsAndMissingFiles() {
    assertThatThrownBy(() -> load("deployments: [unclosed", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML/JSON at line 1");
    assertThatThrownBy(() -> load("- just\n- a list\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("the document must be a mapping");
    assertThatThrownBy(() -> ConfigLoader.create().load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml").hasMessageContaining("file not found");
  }

  @Test
  void secretKeyNamingRule() {
    assertThat(ConfigLoader.isSecret("api-key")).isTrue();
    assertThat(ConfigLoader.isSecret("secret-access-key")).isTrue();
    assertThat(ConfigLoader.isSecret("access-key-id")).isTrue();
    assertThat(ConfigLoader.isSecret("session-token")).isTrue();
    assertThat(ConfigLoader.isSecret("endpoint")).isFalse();
    assertThat(ConfigLoader.isSecret("api-version")).isFalse();
  }
}
