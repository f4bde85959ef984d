package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's code is real: its quick-start YAML builds a switchboard, and each Java block (imports
 * included) is a file that compiles with this module — QuickStart, QuickStartBuilders,
 * MockProviderUserTest.
 */
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
    return block(section, language, 0);
  }

  /** The {@code n}th (from 0) block of {@code language} in {@code section}. */
  private static String block(String section, String language, int n) {
    int start = -1;
    for (int i = 0; i <= n; i++) {
      start = section.indexOf("```" + language + "\n", start + 1);
      assertThat(start).as(language + " block " + n).isNotNegative();
    }
    start += language.length() + 4;
    return section.substring(start, section.indexOf("```", start));
  }

  /** Every line of {@code block} is in {@code file}, imports included, so the block is code that compiles. */
  private static void assertBlockIsIn(String block, String file) throws IOException {
    String source = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    List<String> lines = block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(8);
    assertThat(lines).as("the block has its imports").anyMatch(l -> l.startsWith("import "));
    for (String line : lines) assertThat(source).as(file + " has: " + line).contains(line);
  }

  private static String pomProperty(String name) throws IOException {
    String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
    int start = pom.indexOf("<" + name + ">");
    assertThat(start).as("parent pom property " + name).isNotNegative();
    start += name.length() + 2;
    return pom.substring(start, pom.indexOf("</" + name + ">", start));
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
    assertBlockIsIn(block(section("Quick start"), "java"), "src/main/java/dev/switchboard/examples/QuickStart.java");
  }

  @Test
  void theBuilderJavaIsQuickStartBuildersJava() throws IOException {
    assertBlockIsIn(block(section("Quick start"), "java", 1), "src/main/java/dev/switchboard/examples/QuickStartBuilders.java");
  }

  @Test
  void theBuilderExampleNamesTheMissingVariable() {
    Assumptions.assumeTrue(System.getenv("AZURE_OPENAI_API_KEY") == null, "AZURE_OPENAI_API_KEY is set here");
    assertThatThrownBy(() -> QuickStartBuilders.main(new String[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable AZURE_OPENAI_API_KEY is not set");
  }

  @Test
  void theMockProviderJavaIsMockProviderUserTestWithItsTestDependencies() throws IOException {
    String section = section("Testing your code with the mock provider");
    assertBlockIsIn(block(section, "java"), "src/test/java/dev/switchboard/examples/MockProviderUserTest.java");
    String xml = block(section, "xml");
    assertThat(xml).contains("<groupId>org.junit.jupiter</groupId>", "<artifactId>junit-jupiter</artifactId>",
        "<version>" + pomProperty("junit.version") + "</version>",
        "<groupId>org.assertj</groupId>", "<artifactId>assertj-core</artifactId>",
        "<version>" + pomProperty("assertj.version") + "</version>", "<scope>test</scope>");
  }

  @Test
  void theReadmeNamesTheAzureKeyVariableOneWay() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    assertThat(readme).contains("${AZURE_OPENAI_API_KEY}", "Secret.env(\"AZURE_OPENAI_API_KEY\")")
        .doesNotContain("AZURE_OPENAI_KEY");
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
