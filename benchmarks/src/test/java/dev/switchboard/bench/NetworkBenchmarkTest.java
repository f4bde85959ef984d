package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Attempt;
import dev.switchboard.ChatResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.bench.baseline.AwsSdkClient;
import dev.switchboard.bench.baseline.RawClient;
import dev.switchboard.bench.stub.StubServer;
import dev.switchboard.testing.ProviderTestKit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loopback benchmarks measure successful calls: for every provider both clients get the
 * whole canned answer from the stub (run as a separate process, as in the benchmarks), the
 * failover benchmark's aliases route as described, and the open-circuit check counts attempts.
 * Each benchmark method is called once; nothing here is timed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkBenchmarkTest {

  @ParameterizedTest
  @ValueSource(strings = {"openai", "azure", "bedrock"})
  void bothClientsGetTheWholeAnswer(String provider) throws IOException {
    EndToEndBenchmark b = new EndToEndBenchmark();
    b.provider = provider;
    b.setup(); // checks both non-streamed answers
    try {
      assertThat(b.chatSwitchboard1().text()).isEqualTo(Payloads.answerText());
      assertThat(b.chatRaw1().text()).isEqualTo(Payloads.answerText());
      assertThat(b.chatSwitchboard32().servedBy().deployment()).isEqualTo(provider);
      int deltas = Payloads.textDeltas(provider);
      assertThat(b.streamSwitchboard1(Blackholes.create())).isEqualTo(deltas + 2);
      assertThat(b.streamRaw1(Blackholes.create())).isEqualTo(deltas);
      assertThat(b.streamSwitchboard32(Blackholes.create())).isEqualTo(deltas + 2);
      assertThat(b.streamRaw32(Blackholes.create())).isEqualTo(deltas);
      assertThat(b.chatRaw32().text()).isEqualTo(Payloads.answerText());
      assertThat(b.chatRawAsync1().text()).isEqualTo(Payloads.answerText());
      ChatResponse viaListener = b.streamListenerSwitchboard1(Blackholes.create());
      assertThat(viaListener.text()).isEqualTo(Payloads.streamedText(deltas));
      assertThat(viaListener.usage().outputTokens()).isEqualTo(197);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void awsSdkBaselineAndSignedSwitchboardGetTheWholeAnswer() throws IOException {
    try (StubServer stub = StubServer.start(0);
        Switchboard sb = Clients.switchboard("http://127.0.0.1:" + stub.port()).build();
        AwsSdkClient sdk = new AwsSdkClient("http://127.0.0.1:" + stub.port(), Payloads.request("bedrock"),
            Payloads.BEDROCK_MODEL)) {
      assertThat(sdk.chat()).isEqualTo(Payloads.answerText());
      ChatResponse signed = sb.chat(Payloads.request("bedrock-sigv4"));
      assertThat(signed.text()).isEqualTo(Payloads.answerText());
      assertThat(signed.servedBy().deployment()).isEqualTo("bedrock-sigv4");
      assertThat(stub.requests()).isEqualTo(2);
    }
  }

  @Test
  void awsSdkBaselineSendsTheSameConversation() {
    var converse = AwsSdkClient.converse(Payloads.request("bedrock"), Payloads.BEDROCK_MODEL);
    // user, assistant (tool use), user (tool result + question): Bedrock's alternating turns
    assertThat(converse.messages()).extracting(m -> m.roleAsString()).containsExactly("user", "assistant", "user");
    assertThat(converse.messages().get(2).content()).hasSize(2);
    assertThat(converse.messages().get(1).content().get(0).toolUse().input().asMap()).containsKeys("topic", "floor");
    assertThat(converse.system()).hasSize(1);
    assertThat(converse.toolConfig().tools().get(0).toolSpec().inputSchema().json().asMap()).containsKey("required");
    assertThat(converse.inferenceConfig().maxTokens()).isEqualTo(512);
  }

  @Test
  void failoverGoesToTheSecondaryAndAnOpenCircuitGetsNoAttempts() throws IOException {
    FailoverBenchmark b = new FailoverBenchmark();
    b.setup(); // opens the dead primary's circuit, or throws
    try {
      b.resetCounts();
      assertThat(b.direct().attempts()).extracting(a -> a.target().deployment()).containsExactly("live");

      ChatResponse failover = b.failover();
      assertThat(failover.servedBy().deployment()).isEqualTo("live");
      assertThat(failover.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(b.attemptsOn("dead")).isEqualTo(1);

      for (int i = 0; i < 5; i++) {
        ChatResponse open = b.circuitOpen();
        assertThat(open.servedBy().deployment()).isEqualTo("live");
        assertThat(open.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
      }
      assertThat(b.attemptsOn("dead-open")).isZero();
      b.checkOpenCircuitGotNoAttempts();
    } finally {
      b.tearDown();
    }
  }

  @Test
  void routingBenchmarkAnswersWithEveryStrategy() {
    for (String strategy : List.of("priority", "weighted", "round-robin", "least-latency", "least-in-flight",
        "lowest-cost", "quota-aware", "region-affinity")) {
      RoutingBenchmark b = new RoutingBenchmark();
      b.strategy = strategy;
      b.setup();
      try {
        for (int i = 0; i < 20; i++) {
          ChatResponse r = b.switchboard();
          assertThat(r.attempts()).hasSize(1);
          assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
        }
        assertThat(b.direct().text()).isEqualTo(b.switchboard().text());
      } finally {
        b.tearDown();
      }
    }
  }

  @Test
  void stubAnswersUnknownRoutesWith404AndKeepsConnectionsAlive() throws IOException {
    try (StubServer stub = StubServer.start(0)) {
      OkHttpClient client = new OkHttpClient();
      RequestBody body = RequestBody.create("{}", MediaType.get("application/json"));
      try (Response r = client.newCall(new Request.Builder().url("http://127.0.0.1:" + stub.port() + "/nope").post(body).build())
          .execute()) {
        assertThat(r.code()).isEqualTo(404);
      }
      RawClient raw = new RawClient("http://127.0.0.1:" + stub.port(), ProviderTestKit.newObjectMapper());
      List<String> deltas = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        assertThat(raw.openAiChat(Payloads.request("x")).text()).isEqualTo(Payloads.answerText());
      }
      assertThat(raw.bedrockStream(Payloads.request("x"), "m", deltas::add)).isEqualTo(Payloads.TEXT_DELTAS);
      assertThat(String.join("", deltas)).isEqualTo(Payloads.streamedText(Payloads.TEXT_DELTAS));
      assertThat(stub.requests()).isEqualTo(5);
      assertThat(raw.okHttp().connectionPool().connectionCount()).isEqualTo(1);
      raw.close();
      client.connectionPool().evictAll();
    }
  }

  @Test
  void interleavedRunsEveryVariant() throws Exception {
    System.setProperty("warmup.seconds", "0");
    System.setProperty("slice.millis", "20");
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      Interleaved.main(new String[] {"azure", "1", "chat-raw", "chat-raw-async", "chat-switchboard", "stream-raw",
          "stream-switchboard", "stream-listener"});
    } finally {
      System.setOut(out);
    }
    String report = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(report).contains("ratios against chat-raw").contains("stream-listener");
    assertThat(report.lines().filter(l -> l.contains("CPU ratio"))).hasSize(6);
  }

  @Test
  void rawClientRefusesErrors() throws IOException {
    try (StubServer stub = StubServer.start(0)) {
      RawClient raw = new RawClient("http://127.0.0.1:" + stub.port() + "/missing", ProviderTestKit.newObjectMapper());
      assertThatThrownBy(() -> raw.openAiChat(Payloads.request("x"))).hasMessageContaining("HTTP 404");
      raw.close();
    }
  }
}
