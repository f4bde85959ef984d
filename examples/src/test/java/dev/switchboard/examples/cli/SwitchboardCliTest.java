package dev.switchboard.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.sim.Fault;
import dev.switchboard.examples.sim.SimulatedAzureOpenAi;
import dev.switchboard.examples.sim.SimulatedBedrock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat CLI: argument errors, configuration errors, and real runs against the simulated endpoints. */
class SwitchboardCliTest {
  @TempDir Path dir;

  private SimulatedAzureOpenAi azure;
  private SimulatedBedrock bedrock;
  private Map<String, String> env;
  private Path config;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void startSimulators() throws IOException {
    azure = SimulatedAzureOpenAi.start("cli-key", "gpt4o-prod");
    bedrock = SimulatedBedrock.start("us-west-2", "openai.gpt-oss-120b-1:0");
    env = new HashMap<>(Map.of(
        "AZURE_OPENAI_ENDPOINT", azure.url().toString(), "AZURE_OPENAI_API_KEY", "cli-key",
        "BEDROCK_ENDPOINT", bedrock.url().toString(),
        "BEDROCK_ACCESS_KEY_ID", SimulatedBedrock.TEST_ACCESS_KEY_ID,
        "BEDROCK_SECRET_ACCESS_KEY", SimulatedBedrock.TEST_SECRET_ACCESS_KEY));
    config = dir.resolve("app.yaml");
    // The demo's own configuration file: Azure first, Bedrock second, one alias ('chat').
    try (InputStream in = SwitchboardCliTest.class.getResourceAsStream("/failover-demo.yaml")) {
      Files.write(config, in.readAllBytes());
    }
  }

  @AfterEach
  void stopSimulators() {
    azure.close();
    bedrock.close();
  }

  private int run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  private int run(InputStream stdin, String... args) {
    SwitchboardCli cli = new SwitchboardCli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env, stdin);
    return cli.run(List.of(args));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  // ---- the command line ----

  @Test
  void noCommandOrAnUnknownOnePrintsUsage() {
    assertThat(run()).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("usage: switchboard chat --config FILE");
    assertThat(run("talk")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("unknown command 'talk'");
    assertThat(run("help")).isEqualTo(SwitchboardCli.OK);
    assertThat(out()).contains("--stream", "--trace", "--model ALIAS");
  }

  @Test
  void chatArgumentErrorsNameTheProblem() {
    assertThat(run("chat", "hello")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("--config FILE is required (or set SWITCHBOARD_CONFIG)");
    assertThat(run("chat", "--config", config.toString())).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("no prompt given");
    assertThat(run("chat", "--config", config.toString(), "--colour", "hi")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("unknown option '--colour'");
    assertThat(run("chat", "--config", config.toString(), "--max-tokens", "lots", "hi")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("--max-tokens needs a positive whole number, not 'lots'");
    assertThat(run("chat", "--config", config.toString(), "hi", "--model")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("--model needs a value");
    assertThat(run("chat", "--config", config.toString(), "--model", "nope", "hi")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("unknown model alias 'nope'; configured aliases: [chat]");
  }

  @Test
  void configurationProblemsAreListedWithExitCode3() throws IOException {
    assertThat(run("chat", "--config", dir.resolve("missing.yaml").toString(), "hi")).isEqualTo(SwitchboardCli.BAD_CONFIG);
    assertThat(err()).contains("missing.yaml", "file not found");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "deployments: {m: {type: mock}}\nmodels: {chat: {targest: []}}\n");
    assertThat(run("chat", "--config", bad.toString(), "hi")).isEqualTo(SwitchboardCli.BAD_CONFIG);
    assertThat(err()).contains("models.chat: unknown key 'targest'; did you mean 'targets'?");
    env.remove("AZURE_OPENAI_API_KEY");
    assertThat(run("chat", "--config", config.toString(), "hi")).isEqualTo(SwitchboardCli.BAD_CONFIG);
    assertThat(err()).contains("deployments.azure-east.api-key: environment variable AZURE_OPENAI_API_KEY is not set");
  }

  @Test
  void severalAliasesNeedModel() throws IOException {
    Path two = dir.resolve("two.yaml");
    Files.writeString(two, """
        deployments: {m: {type: mock, reply: pong}}
        models:
          fast: {targets: [{deployment: m, model: a}]}
          smart: {targets: [{deployment: m, model: b}]}
        """);
    assertThat(run("chat", "--config", two.toString(), "hi")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("several model aliases [fast, smart]: choose one with --model");
    assertThat(run("chat", "--config", two.toString(), "--model", "smart", "hi")).isEqualTo(SwitchboardCli.OK);
    assertThat(out()).isEqualTo("pong" + System.lineSeparator());
  }

  // ---- against the simulators ----

  @Test
  void answersFromAzureAndTracesTheAttempt() {
    assertThat(run("chat", "--config", config.toString(), "--trace", "What", "is", "2+2?")).isEqualTo(SwitchboardCli.OK);
    assertThat(out()).startsWith("Hello from Azure OpenAI").endsWith(System.lineSeparator());
    assertThat(err()).contains("served by azure-east(azure-openai:gpt4o-prod)", "attempt: azure-east(azure-openai:gpt4o-prod) SUCCEEDED");
    assertThat(azure.stats().answered()).isEqualTo(1);
  }

  @Test
  void aFailoverShowsInTheTrace() {
    azure.enqueue(2, Fault.serviceUnavailable());
    assertThat(run("chat", "--config", config.toString(), "--trace", "hi")).isEqualTo(SwitchboardCli.OK);
    assertThat(out()).startsWith("Hello from Amazon Bedrock");
    assertThat(err()).contains("served by bedrock-west(bedrock:openai.gpt-oss-120b-1:0)")
        .contains("azure-east(azure-openai:gpt4o-prod) FAILED").contains("UNAVAILABLE");
    assertThat(err().lines().filter(l -> l.contains("attempt:"))).hasSize(3);
  }

  @Test
  void streamsTokenByTokenAfterAStreamThatBrokeOnAzure() {
    azure.enqueue(Fault.failStreamBeforeFirstToken());
    assertThat(run("chat", "--config", config.toString(), "--stream", "--trace", "--system", "Be brief.", "--max-tokens", "4",
        "hi")).isEqualTo(SwitchboardCli.OK);
    // max-tokens 4: the simulator cuts its answer to four tokens.
    assertThat(out()).isEqualTo("Hello from Amazon Bedrock:" + System.lineSeparator());
    assertThat(err()).contains("served by bedrock-west", "finish LENGTH", "PROTOCOL");
  }

  @Test
  void readsThePromptFromStdinAndTheConfigFromTheEnvironment() {
    env.put("SWITCHBOARD_CONFIG", config.toString());
    int code = run(new ByteArrayInputStream("What is the capital of France?\n".getBytes(StandardCharsets.UTF_8)), "chat", "-");
    assertThat(code).isEqualTo(SwitchboardCli.OK);
    assertThat(out()).startsWith("Hello from Azure OpenAI");
  }

  @Test
  void whenEveryTargetFailsItExitsWith1AndListsTheAttempts() {
    azure.refuseConnections();
    bedrock.enqueue(2, Fault.serviceUnavailable());
    assertThat(run("chat", "--config", config.toString(), "--trace", "hi")).isEqualTo(SwitchboardCli.CALL_FAILED);
    assertThat(out()).isEmpty();
    assertThat(err()).startsWith("error: ").contains("all targets of model alias 'chat' failed", "NETWORK", "UNAVAILABLE");
    assertThat(err()).doesNotContain(SimulatedBedrock.TEST_SECRET_ACCESS_KEY).doesNotContain("cli-key");
  }

  @Test
  void theDemoCommandRunsTheWalkthrough() {
    env.put("CI", "true");
    assertThat(run("demo", "--simulated", "--fast")).isEqualTo(SwitchboardCli.OK);
    assertThat(out()).contains("5. A stream that breaks before its first token", "Summary: 10 calls");
    assertThat(run("demo", "--loud")).isEqualTo(SwitchboardCli.USAGE);
    assertThat(err()).contains("unknown argument '--loud'");
  }
}
