package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's quick start works: its YAML builds a switchboard and its Java block is QuickStart.java's. */
class ReadmeTest {
  // Surefire runs in the module directory; the README is at the repository root.
  private static final Path README = Path.of("..", "README.md");

  private static String section(String title) throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## " + title + "\n");
    assertThat(start).as("README section " + title).isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  private static String block(String section, String language) {
    int start = section.indexOf("```" + language + "\n");
    assertThat(start).as(language + " block").isNotNegative();
    start += language.length() + 4;
    return section.substring(start, section.indexOf("```", start));
  }

  @Test
  void theQuickStartYamlBuildsASwitchboard() throws IOException {
    String yaml = block(section("Quick start"), "yaml");
    // Building resolves both providers and checks every setting; it calls nothing.
    try (Switchboard sb = ConfigLoader.withEnvironment(Map.of("AZURE_OPENAI_API_KEY", "not-a-real-key"))
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).build()) {
      assertThat(sb).isNotNull();
    }
  }

  @Test
  void theQuickStartJavaIsQuickStartJava() throws IOException {
    String java = block(section("Quick start"), "java");
    String source = Files.readString(Path.of("src/main/java/dev/switchboard/examples/QuickStart.java"), StandardCharsets.UTF_8);
    List<String> lines = java.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(8);
    for (String line : lines) assertThat(source).as("QuickStart.java has: " + line).contains(line);
  }

  @Test
  void theCommandsTheReadmeShowsExist() throws IOException {
    String commands = block(section("The two commands"), "bash");
    assertThat(commands).contains("mvn -B -q -DskipTests -Pdemo verify", "mvn -B verify");
    String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
    assertThat(pom).contains("<demo.main>dev.switchboard.examples.FailoverDemo</demo.main>",
        "<outputFile>${project.build.directory}/switchboard-cli.jar</outputFile>");
  }
}
