package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The document itself: its size is checked before parsing, over-deep nesting and syntax errors
 * become clean {@link ConfigException}s that never quote the source (issue 22 items 11 and 16),
 * and a key given twice is an error naming both lines (issue 17 item 2).
 */
class ConfigDocumentTest {
  @TempDir Path dir;

  private static ConfigException failure(String yaml) {
    try {
      ConfigLoader.withEnvironment(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  /** An endless stream of valid YAML text ("a: b\n" over and over) that counts what was read from it. */
  private static final class EndlessYaml extends InputStream {
    private static final byte[] LINE = "ab: c\n".getBytes(StandardCharsets.US_ASCII);
    long read;

    @Override
    public int read() {
      return LINE[(int) (read++ % LINE.length)];
    }
  }

  @Test
  void anEndlessStreamIsCutAtTheLimitBeforeParsing() {
    EndlessYaml in = new EndlessYaml();
    assertThatThrownBy(() -> ConfigLoader.withEnvironment(Map.of()).load(in))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the document is larger than 1 MiB (1048576 bytes), the limit for a configuration");
    assertThat(in.read).isEqualTo(ConfigLoader.DEFAULT_MAX_DOCUMENT_BYTES + 1);
  }

  @Test
  void aFortyMegabyteFileIsRefusedByItsSizeNamingTheFileAndTheLimit() throws Exception {
    Path big = dir.resolve("huge.yaml");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(40L * 1024 * 1024);
    }
    ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> ConfigLoader.create().load(big));
    assertThat(e.getMessage()).startsWith("invalid Switchboard configuration in " + big + " (1 problem)");
    assertThat(e.problems()).containsExactly("the document is larger than 1 MiB (1048576 bytes), the limit for a"
        + " configuration (ConfigLoader.withMaxDocumentBytes raises it); nothing was parsed");
  }

  @Test
  void theLimitCanBeChanged() {
    String yaml = "deployments: {m: {type: mock}}\nmodels: {chat: {targets: [{deployment: m, model: x}]}}\n";
    assertThatThrownBy(() -> ConfigLoader.create().withMaxDocumentBytes(16).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("larger than 16 bytes (16 bytes)");
    assertThat(ConfigLoader.create().withMaxDocumentBytes(yaml.length()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
        .isNotNull();
  }

  @Test
  void aHundredThousandDeepDocumentIsACleanConfigException() {
    assertThat(failure("deployments: " + "[".repeat(100_000)).problems())
        .containsExactly("the document is nested deeper than 200 levels");
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 300; i++) block.append("  ".repeat(i)).append("k").append(i).append(":\n");
    assertThat(failure(block.toString()).problems()).containsExactly("the document is nested deeper than 200 levels");
  }

  @Test
  void aSyntaxErrorOnASecretsLineNamesTheLineAndColumnButNeverQuotesIt() {
    ConfigException flow = failure("""
        deployments:
          m: {type: mock, api-key: sk-planted-secret-123 : x}
        """);
    assertThat(flow.getMessage()).doesNotContain("sk-planted").doesNotContain("api-key");
    assertThat(flow.problems()).containsExactly(
        "not valid YAML/JSON at line 2, column 50: expected ',' or '}', but got : (while parsing a flow mapping)");

    ConfigException block = failure("""
        deployments:
          m:
            type: mock
            api-key: sk-planted-secret-456: more
        """);
    assertThat(block.getMessage()).doesNotContain("sk-planted").doesNotContain("api-key");
    assertThat(block.problems()).singleElement().asString()
        .startsWith("not valid YAML/JSON at line 4, column ").endsWith(": mapping values are not allowed here");

    ConfigException quoted = failure("deployments:\n  m:\n    api-key: \"sk-planted-secret-789\n");
    assertThat(quoted.getMessage()).doesNotContain("sk-planted");
    assertThat(quoted.problems()).containsExactly(
        "not valid YAML/JSON at line 4, column 1: found unexpected end of stream (while scanning a quoted scalar)");
  }

  @Test
  void aKeyGivenTwiceIsAnErrorNamingBothLines() throws Exception {
    Path file = dir.resolve("dup.yaml");
    Files.writeString(file, """
        deployments:
          azure-east: {type: mock, reply: first}
          bedrock-west: {type: mock}
          azure-east: {type: mock, reply: copied}
        models:
          chat:
            targets:
              - {deployment: azure-east, model: a, model: b}
              - {deployment: bedrock-west, model: c}
        """);
    ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> ConfigLoader.create().load(file));
    assertThat(e.getMessage()).startsWith("invalid Switchboard configuration in " + file + " (2 problems)");
    assertThat(e.problems()).containsExactly(
        "deployments.azure-east: duplicate key at lines 2 and 4 (the second would silently replace the first)",
        "models.chat.targets[0].model: duplicate key at lines 8 and 8 (the second would silently replace the first)");
  }
}
