package dev.switchboard.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatResponse;
import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.Switchboard;
import dev.switchboard.examples.sim.Fault;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
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

  /**
   * Runs the CLI on {@link #MOCKS} ({@code azure-east} then {@code bedrock-west}, both type
   * {@code mock}; with stream restart unless {@code yaml} is given) served by the scripted {@code mocks}; with {@code oneStream} stdout and stderr
   * go to {@link #out} together, in the order a terminal shows them.
   */
  private int runOnMocks(Map<String, MockProvider> mocks, boolean oneStream, String... args) throws IOException {
    return runOnMocks(MOCKS + "resilience: {stream-restart: true}\n", mocks, oneStream, args);
  }

  private int runOnMocks(String yaml, Map<String, MockProvider> mocks, boolean oneStream, String... args) throws IOException {
    Path file = dir.resolve("mocks.yaml");
    Files.writeString(file, yaml);
    ProviderFactory scripted = new ProviderFactory() {
      @Override
      public String type() {
        return "mock";
      }

      @Override
      public int specVersion() {
        return 3;
      }

      @Override
      public ChatProvider create(Deployment deployment, ProviderContext context) {
        return mocks.get(deployment.name());
      }
    };
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = oneStream ? o : new PrintStream(err, true, StandardCharsets.UTF_8);
    SwitchboardCli cli = new SwitchboardCli(o, e, env, new ByteArrayInputStream(new byte[0]),
        (Switchboard.Builder b) -> b.providerFactory(scripted));
    List<String> all = new java.util.ArrayList<>(List.of("chat", "--config", file.toString()));
    all.addAll(List.of(args));
    return cli.run(all);
  }

  private static final String MOCKS = """
      deployments:
        azure-east: {type: mock}
        bedrock-west: {type: mock}
      models:
        chat:
          targets:
            - {deployment: azure-east, model: gpt-4o}
            - {deployment: bedrock-west, model: "openai.gpt-oss-120b-1:0"}
      """;

  private static String lines(String... lines) {
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
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
    assertThat(err()).contains("models.chat.targest: unknown key; did you mean 'targets'?");
    env.remove("AZURE_OPENAI_API_KEY");
    assertThat(run("chat", "--config", config.toString(), "hi")).isEqualTo(SwitchboardCli.BAD_CONFIG);
    assertThat(err()).contains("deployments.azure-east.api-key: environment variable AZURE_OPENAI_API_KEY is not set");
    // A problem only build() finds (a token supplier in code could have made it valid) still names the file.
    Path late = dir.resolve("late.yaml");
    Files.writeString(late, "deployments: {az: {type: azure-openai, endpoint: 'https://x.openai.azure.com'}}\n"
        + "models: {chat: {targets: [{deployment: az, model: m}]}}\n");
    assertThat(run("chat", "--config", late.toString(), "hi")).isEqualTo(SwitchboardCli.BAD_CONFIG);
    assertThat(err()).contains("invalid Switchboard configuration in " + late + " (1 problem):\n  - deployments.az.api-key: missing");
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

  @Test
  void withSeveralAliasesAndNoModelTheFileIsCheckedFirst() throws IOException {
    Path two = dir.resolve("two-bad.yaml");
    Files.writeString(two, """
        deployments: {m: {type: mock, reply: pong}}
        models:
          fast: {targets: [{deployment: m, model: a}]}
          smart: {targest: [{deployment: m, model: b}]}
        """);
    assertThat(run("chat", "--config", two.toString(), "hi")).isEqualTo(SwitchboardCli.BAD_CONFIG);
    assertThat(err()).contains("models.smart.targest: unknown key; did you mean 'targets'?").doesNotContain("--model");
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
  void whenEveryTargetFailsTheTraceListsEachAttemptOnce() {
    azure.refuseConnections();
    bedrock.enqueue(2, Fault.serviceUnavailable());
    assertThat(run("chat", "--config", config.toString(), "--trace", "hi")).isEqualTo(SwitchboardCli.CALL_FAILED);
    // Retried once on each: two attempts per target, each listed once (the message lists them; --trace adds none again).
    assertThat(err().lines().filter(l -> l.contains("azure-east(azure-openai:gpt4o-prod) FAILED"))).hasSize(2);
    assertThat(err().lines().filter(l -> l.contains("bedrock-west(bedrock:openai.gpt-oss-120b-1:0) FAILED"))).hasSize(2);
  }

  // ---- on scripted mock providers ----

  @Test
  void aRestartedStreamIsMarkedBeforeTheNewAnswer() throws IOException {
    MockProvider east = MockProvider.create().thenStream(StreamScript.builder().text("slow ").text("ech").fail(ErrorKind.NETWORK));
    MockProvider west = MockProvider.create().thenStream(StreamScript.text("restart ", "me please"));
    int code = runOnMocks(Map.of("azure-east", east, "bedrock-west", west), true, "--stream", "hi");
    assertThat(code).isEqualTo(SwitchboardCli.OK);
    // stdout and stderr together, as a terminal shows them: the broken part, the marker, the new answer.
    assertThat(out()).isEqualTo(lines("slow ech", "--- restarted on bedrock-west (NETWORK) ---", "restart me please"));
  }

  @Test
  void aRestartMarkerGoesToStderrAndStdoutKeepsTheTextOnSeparateLines() throws IOException {
    MockProvider east = MockProvider.create().thenStream(StreamScript.builder().text("slow ech").fail(ErrorKind.NETWORK));
    MockProvider west = MockProvider.create().thenStream(StreamScript.text("restart me please"));
    assertThat(runOnMocks(Map.of("azure-east", east, "bedrock-west", west), false, "--stream", "hi")).isEqualTo(SwitchboardCli.OK);
    assertThat(out()).isEqualTo(lines("slow ech", "restart me please"));
    assertThat(err()).isEqualTo(lines("--- restarted on bedrock-west (NETWORK) ---"));
  }

  @Test
  void aStreamBrokenAfterTextSaysHowMuchWasShown() throws IOException {
    MockProvider east = MockProvider.create().thenStream(StreamScript.builder().text("slow ").text("ech").fail(ErrorKind.NETWORK));
    MockProvider west = MockProvider.create();
    assertThat(runOnMocks(MOCKS, Map.of("azure-east", east, "bedrock-west", west), false, "--stream", "hi"))
        .isEqualTo(SwitchboardCli.CALL_FAILED);
    assertThat(out()).isEqualTo(lines("slow ech"));
    assertThat(err()).startsWith(
        "error: the stream was interrupted after 8 characters (the answer above is incomplete): NETWORK from azure-east (mock)");
    assertThat(west.callCount()).isZero(); // no restart asked for: nothing is sent elsewhere
  }

  @Test
  void aRestartThatFailsTooStillCountsTheCharactersShown() throws IOException {
    MockProvider east = MockProvider.create().thenStream(StreamScript.builder().text("slow ").text("ech").fail(ErrorKind.NETWORK));
    MockProvider west = MockProvider.create().thenFail(ErrorKind.UNAVAILABLE);
    assertThat(runOnMocks(Map.of("azure-east", east, "bedrock-west", west), false, "--stream", "--trace", "hi"))
        .isEqualTo(SwitchboardCli.CALL_FAILED);
    assertThat(out()).isEqualTo(lines("slow ech"));
    assertThat(err()).startsWith("error: the stream was interrupted after 8 characters")
        .contains("azure-east(mock:gpt-4o) FAILED", "bedrock-west(mock:openai.gpt-oss-120b-1:0) FAILED");
    assertThat(err().lines().filter(l -> l.contains(") FAILED"))).hasSize(2);
  }

  @Test
  void aContentFilterFinishPrintsTheReasonAndExits4() throws IOException {
    MockProvider east = MockProvider.create()
        .thenReply(ChatResponse.builder().message(AssistantMessage.of("")).finishReason(FinishReason.CONTENT_FILTER));
    assertThat(runOnMocks(Map.of("azure-east", east, "bedrock-west", MockProvider.create()), false, "hi"))
        .isEqualTo(SwitchboardCli.NOT_FINISHED);
    assertThat(err()).contains("error: a content filter stopped the answer (finish CONTENT_FILTER)");
  }

  @Test
  void aStreamCutByAContentFilterExits4AfterTheTextItShowed() throws IOException {
    MockProvider east = MockProvider.create().thenStream(StreamScript.builder().text("I can").finish(FinishReason.CONTENT_FILTER).build());
    assertThat(runOnMocks(Map.of("azure-east", east, "bedrock-west", MockProvider.create()), false, "--stream", "hi"))
        .isEqualTo(SwitchboardCli.NOT_FINISHED);
    assertThat(out()).isEqualTo(lines("I can"));
    assertThat(err()).contains("(finish CONTENT_FILTER)");
  }

  @Test
  void anAnswerWithoutUsageTracesUsageUnknown() throws IOException {
    MockProvider east = MockProvider.create().thenReply(ChatResponse.builder().message(AssistantMessage.of("pong")));
    assertThat(runOnMocks(Map.of("azure-east", east, "bedrock-west", MockProvider.create()), false, "--trace", "hi"))
        .isEqualTo(SwitchboardCli.OK);
    assertThat(err()).contains("; usage unknown; finish STOP").doesNotContain("tokens 0 in");
    MockProvider counted = MockProvider.create().thenReply("pong");
    out.reset();
    err.reset();
    assertThat(runOnMocks(Map.of("azure-east", counted, "bedrock-west", MockProvider.create()), false, "--trace", "hi"))
        .isEqualTo(SwitchboardCli.OK);
    assertThat(err()).contains("; tokens 10 in / 1 out; finish STOP");
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
