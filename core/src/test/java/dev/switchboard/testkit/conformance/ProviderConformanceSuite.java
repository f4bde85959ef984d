package dev.switchboard.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.ResponseFormat;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.spi.StreamHandle;
import dev.switchboard.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every provider module must share, so the three cannot drift apart. A provider's
 * test extends this class and says how to build its provider against a base URL and how to stage
 * each scenario on the WireMock server in its own wire format; the suite sends the requests and
 * asserts the common result: text, tool calls, JSON output, streams and tool-call deltas, the
 * classification of every error status, truncated streams, malformed bodies, cancellation,
 * connection failures, and that the API key never shows in an error.
 */
public abstract class ProviderConformanceSuite {
  /** The API key (or secret) the suite hands to the provider; it must never appear in errors. */
  protected static final Secret API_KEY = Secret.of("sk-conformance-SECRET-0123456789abcdef");
  protected static final Duration BOUND = Duration.ofSeconds(20);

  protected WireMockServer server;
  protected OkHttpClient httpClient;
  protected ProviderContext context;
  private RealTimeScheduler scheduler;
  private ChatProvider provider;

  // ---- what each provider supplies ----------------------------------------------------------

  /** Builds the provider under test talking to {@code baseUrl} (WireMock on loopback). */
  protected abstract ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context);

  /** The provider-side model id or deployment name used in the target. */
  protected String model() {
    return "conformance-model";
  }

  /** A non-streamed reply with {@code text}, finish "stop", and the given usage. */
  protected abstract void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens);

  /** A non-streamed reply asking for one tool call. */
  protected abstract void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson);

  /** A non-streamed reply whose content (or forced-tool input) is {@code json}. */
  protected abstract void stageJsonReply(WireMockServer wm, String json);

  /** A complete stream of {@code deltas}, then usage and a normal end. */
  protected abstract void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens);

  /** A complete stream with one tool call whose arguments arrive in {@code argumentFragments}. */
  protected abstract void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments);

  /** The scenario's HTTP status with the provider's own error body; 429 carries {@code Retry-After: 2}. */
  protected abstract void stageError(WireMockServer wm, ErrorScenario scenario);

  /** A stream that sends {@code deltas} and then ends without the end-of-stream marker. */
  protected abstract void stageTruncatedStream(WireMockServer wm, List<String> deltas);

  /** A 200 response whose body is not valid for the protocol (e.g. cut JSON). */
  protected abstract void stageMalformedBody(WireMockServer wm);

  /** A reply that arrives only after {@code delay} (for cancellation), streamed or not. */
  protected abstract void stageSlowReply(WireMockServer wm, Duration delay, boolean stream);

  /** A 401 whose body echoes the API key the request carried, as some servers do. */
  protected abstract void stageUnauthorizedEchoingKey(WireMockServer wm, String key);

  // ---- lifecycle ------------------------------------------------------------------------------

  @BeforeEach
  void startServer() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    httpClient = HttpClients.create(HttpSettings.DEFAULTS.withReadTimeout(Duration.ofSeconds(10)));
    scheduler = new RealTimeScheduler();
    context = new ProviderContext(httpClient, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), Clock.systemUTC(),
        scheduler, HttpSettings.DEFAULTS);
    provider = createProvider(server.baseUrl(), API_KEY, context);
  }

  @AfterEach
  void stopServer() {
    provider.close();
    server.stop();
    httpClient.dispatcher().cancelAll();
    httpClient.connectionPool().evictAll();
    scheduler.close();
  }

  protected ChatProvider provider() {
    return provider;
  }

  protected ProviderCall call(ChatRequest request) {
    return new ProviderCall(ProviderRequest.from(request), new TargetRef("conformance", provider.type(), model()), BOUND, 1);
  }

  protected static ChatRequest simpleRequest() {
    return ChatRequest.builder("alias").system("Be brief.").user("Say hello").maxTokens(50).build();
  }

  protected static ChatResponse await(CompletableFuture<ChatResponse> f) {
    try {
      return f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SwitchboardException se) throw se;
      throw new AssertionError("future failed with a non-Switchboard exception (contract violation)", e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * True when the provider streams. A provider whose capabilities say it cannot (routing skips it
   * for streamed calls) must still refuse a stream asked of it directly, at once: INVALID_REQUEST,
   * no event, nothing sent to the server even though a stream is staged; then the stream test
   * ends there.
   */
  private boolean streamsOrRefusesUpFront() {
    if (provider.capabilities().streaming()) return true;
    RecordingListener l = new RecordingListener();
    provider.stream(call(simpleRequest()), l);
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
      assertThat(e.provider()).contains(provider.type());
    });
    assertThat(l.events).isEmpty();
    assertThat(server.getAllServeEvents()).as("requests sent for a stream the provider cannot serve").isEmpty();
    return false;
  }

  // ---- the suite ------------------------------------------------------------------------------

  @Test
  void textReply() {
    stageText(server, "Hello there!", 12, 4);
    ChatResponse r = await(provider.chat(call(simpleRequest())));
    assertThat(r.text()).isEqualTo("Hello there!");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().inputTokens()).isEqualTo(12);
    assertThat(r.usage().outputTokens()).isEqualTo(4);
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.servedBy()).isEqualTo(new TargetRef("conformance", provider.type(), model()));
  }

  @Test
  void toolCallReply() throws IOException {
    stageToolCall(server, "call_1", "get_weather", "{\"city\":\"Paris\"}");
    ChatRequest request = ChatRequest.builder("alias").user("Weather in Paris?")
        .tool(new ToolDefinition("get_weather", "Current weather",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"))
        .toolChoice(ToolChoice.auto()).build();
    ChatResponse r = await(provider.chat(call(request)));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls()).hasSize(1);
    ToolCall tc = r.toolCalls().get(0);
    assertThat(tc.id()).isEqualTo("call_1");
    assertThat(tc.name()).isEqualTo("get_weather");
    ObjectMapper m = ProviderTestKit.objectMapper();
    assertThat(m.readTree(tc.arguments())).isEqualTo(m.readTree("{\"city\":\"Paris\"}"));
  }

  @Test
  void jsonSchemaReply() throws IOException {
    String json = "{\"name\":\"Ada\",\"age\":36}";
    stageJsonReply(server, json);
    ChatRequest request = ChatRequest.builder("alias").user("Who?")
        .responseFormat(ResponseFormat.jsonSchema("person",
            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},"
                + "\"required\":[\"name\",\"age\"],\"additionalProperties\":false}", true))
        .build();
    ChatResponse r = await(provider.chat(call(request)));
    ObjectMapper m = ProviderTestKit.objectMapper();
    assertThat(m.readTree(r.text())).isEqualTo(m.readTree(json));
    assertThat(r.toolCalls()).as("JSON output is returned as text, even when a provider forces a tool").isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void streamOfText() {
    stageStream(server, List.of("Hel", "lo", " world"), 9, 3);
    if (!streamsOrRefusesUpFront()) return;
    RecordingListener l = new RecordingListener();
    provider.stream(call(simpleRequest()), l);
    l.await(BOUND);
    assertThat(l.text()).isEqualTo("Hello world");
    assertThat(l.events).noneMatch(e -> e instanceof ChatEvent.TextDelta d && d.text().isEmpty());
    assertThat(l.events).filteredOn(e -> e instanceof ChatEvent.Finish).containsExactly(new ChatEvent.Finish(FinishReason.STOP));
    assertThat(l.events).filteredOn(e -> e instanceof ChatEvent.UsageUpdate)
        .extracting(e -> ((ChatEvent.UsageUpdate) e).usage().outputTokens()).containsExactly(3);
  }

  @Test
  void streamWithToolCallDeltas() throws IOException {
    stageStreamToolCall(server, "call_9", "lookup", List.of("{\"q\":", "\"swi", "tch\"}"));
    if (!streamsOrRefusesUpFront()) return;
    RecordingListener l = new RecordingListener();
    ChatRequest request = ChatRequest.builder("alias").user("look it up")
        .tool(new ToolDefinition("lookup", "Search", "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}"))
        .build();
    provider.stream(call(request), l);
    l.await(BOUND);
    StreamCollector acc = new StreamCollector();
    l.events.forEach(acc::accept);
    assertThat(acc.toolCalls()).hasSize(1);
    assertThat(acc.toolCalls().get(0).id()).isEqualTo("call_9");
    assertThat(acc.toolCalls().get(0).name()).isEqualTo("lookup");
    assertThat(ProviderTestKit.objectMapper().readTree(acc.toolCalls().get(0).arguments())).isEqualTo(ProviderTestKit.objectMapper().readTree("{\"q\":\"switch\"}"));
    assertThat(l.events).filteredOn(e -> e instanceof ChatEvent.Finish).containsExactly(new ChatEvent.Finish(FinishReason.TOOL_CALLS));
  }

  @ParameterizedTest
  @EnumSource(ErrorScenario.class)
  void errorStatusesAreClassified(ErrorScenario scenario) {
    stageError(server, scenario);
    assertThatThrownBy(() -> await(provider.chat(call(simpleRequest()))))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).as("kind for HTTP " + scenario.status).isEqualTo(scenario.kind);
          assertThat(e.httpStatus()).hasValue(scenario.status);
          assertThat(e.provider()).contains(provider.type());
          assertThat(e.target()).contains("conformance");
          if (scenario == ErrorScenario.RATE_LIMITED) assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
          assertThat(e.getMessage()).doesNotContain(API_KEY.reveal());
        });
  }

  @ParameterizedTest
  @EnumSource(value = ErrorScenario.class, names = {"RATE_LIMITED", "UNAVAILABLE", "UNAUTHORIZED"})
  void errorStatusesAreClassifiedForStreams(ErrorScenario scenario) {
    stageError(server, scenario);
    if (!streamsOrRefusesUpFront()) return;
    RecordingListener l = new RecordingListener();
    provider.stream(call(simpleRequest()), l);
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.kind()).isEqualTo(scenario.kind));
    assertThat(l.events).isEmpty();
  }

  @Test
  void truncatedStreamIsAProtocolErrorNotACleanEnd() {
    stageTruncatedStream(server, List.of("Once upon", " a time"));
    if (!streamsOrRefusesUpFront()) return;
    RecordingListener l = new RecordingListener();
    provider.stream(call(simpleRequest()), l);
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
    assertThat(l.text()).isEqualTo("Once upon a time");
  }

  @Test
  void malformedBodyIsAProtocolError() {
    stageMalformedBody(server);
    assertThatThrownBy(() -> await(provider.chat(call(simpleRequest()))))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
  }

  @Test
  void cancellingAChatCancelsTheHttpCall() {
    stageSlowReply(server, Duration.ofSeconds(30), false);
    CompletableFuture<ChatResponse> f = provider.chat(call(simpleRequest()));
    Eventually.await("request reached the server", BOUND, () -> server.getAllServeEvents().size() == 1);
    f.cancel(true);
    Eventually.await("no call left running", BOUND, () -> httpClient.dispatcher().runningCallsCount() == 0);
  }

  @Test
  void cancellingAStreamCancelsTheHttpCall() {
    stageSlowReply(server, Duration.ofSeconds(30), true);
    if (!streamsOrRefusesUpFront()) return;
    RecordingListener l = new RecordingListener();
    StreamHandle h = provider.stream(call(simpleRequest()), l);
    Eventually.await("request reached the server", BOUND, () -> server.getAllServeEvents().size() == 1);
    h.cancel();
    h.cancel(); // idempotent
    Eventually.await("no call left running", BOUND, () -> httpClient.dispatcher().runningCallsCount() == 0);
  }

  @Test
  void connectionRefusedIsANetworkError() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ChatProvider refused = createProvider("http://127.0.0.1:" + closedPort, API_KEY, context);
    try {
      assertThatThrownBy(() -> await(refused.chat(call(simpleRequest()))))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK));
    } finally {
      refused.close();
    }
  }

  @Test
  void apiKeyNeverAppearsInErrors() {
    stageUnauthorizedEchoingKey(server, API_KEY.reveal());
    assertThatThrownBy(() -> await(provider.chat(call(simpleRequest()))))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
          assertThat(e.getMessage()).doesNotContain(API_KEY.reveal());
          assertThat(String.valueOf(e)).doesNotContain(API_KEY.reveal());
        });
  }
}
