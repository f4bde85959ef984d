package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.openai.testkit.RecordedChat.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.Usage;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.openai.testkit.RecordedResponses;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import dev.switchboard.testkit.conformance.RecordingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded {@code POST /v1/responses} call in
 * {@code ../shared/fixtures/openai-responses} that uses only what Switchboard maps, through
 * WireMock and an {@code api: responses} OpenAI deployment. The recorded request is translated
 * into a {@link ChatRequest} (test-side, by {@link RecordedResponses}); the body Switchboard
 * writes is schema-checked against {@code CreateResponse} and compared with the recorded one; the
 * answer (text, tool calls, refusal, finish reason, usage with cached and reasoning tokens, model,
 * id) must equal what the recording holds, read independently; for streams, from the final
 * {@code response.completed} object, and the text deltas must add up to it. Recorded errors must
 * give the kind their status and code call for.
 *
 * <p>Every cassette with no replayable call is listed in {@link #SKIPPED} with its reason, and
 * {@link #everyCassetteIsReplayedOrListed} fails for a new one until it is classified.
 */
class ResponsesCassetteReplayTest {
  static final String DIR = "openai-responses/pydantic-ai";
  private static final String KEY = "DEADBEEF";
  private static final Duration BOUND = Duration.ofSeconds(20);

  /** Cassettes of which no call is replayed, and why. */
  static final Map<String, String> SKIPPED = skipped();

  private static Map<String, String> skipped() {
    Map<String, String> m = new TreeMap<>();
    String background = "background mode (answered by polling), refused";
    for (String name : List.of("reasoning", "streaming_continuation", "streaming_starting_after", "streaming",
        "streaming_without_starting_after", "", "with_tool")) {
      m.put("test_background_mode_" + (name.isEmpty() ? "" : name + "_") + "vcr.yaml", background);
    }
    String conversation = "a server-side conversation, refused: the whole history is sent each call";
    for (String name : List.of("explicit_and_auto", "preserves_mismatched_history", "streaming_provider_details",
        "tool_call_continuation")) {
      m.put("test_openai_conversation_id_" + name + ".yaml", conversation);
    }
    m.put("test_openai_previous_response_id_auto_mode.yaml",
        "server-side state (previous_response_id), refused: the whole history is sent each call");
    builtIn(m, "web_search", "test_openai_include_raw_annotations_non_streaming", "test_openai_responses_model_builtin_tools_web_search",
        "test_openai_responses_model_web_search_tool", "test_openai_responses_model_web_search_tool_stream",
        "test_openai_responses_model_web_search_tool_with_allowed_domains",
        "test_openai_responses_model_web_search_tool_with_invalid_region",
        "test_openai_responses_model_web_search_tool_with_user_location",
        "test_openai_responses_model_web_search_tool_without_external_access");
    builtIn(m, "file_search", "test_openai_responses_model_file_search_tool", "test_openai_responses_model_file_search_tool_stream",
        "test_openai_responses_model_file_search_tool_with_results");
    builtIn(m, "mcp", "test_openai_responses_model_mcp_list_tools_stream_backfills_missing_results",
        "test_openai_responses_model_mcp_server_tool", "test_openai_responses_model_mcp_server_tool_stream",
        "test_openai_responses_model_mcp_server_tool_with_connector");
    builtIn(m, "code_interpreter", "test_openai_responses_thinking_with_code_execution_tool",
        "test_openai_responses_thinking_with_code_execution_tool_stream");
    for (String name : List.of("test_responses_count_tokens", "test_responses_count_tokens_with_tools",
        "test_responses_usage_limit_exceeded")) {
      m.put(name + ".yaml", "no create call: only other endpoints (token counting)");
    }
    return m;
  }

  private static void builtIn(Map<String, String> m, String tool, String... names) {
    for (String name : names) m.put(name + ".yaml", "built-in tool '" + tool + "', out of scope (function tools only)");
  }

  private static Harness harness;

  /** One recorded create call. */
  record Case(String cassette, int index, JsonNode request, int status, Map<String, List<String>> headers, byte[] body,
      boolean stream) {
    String name() {
      return cassette + " #" + index;
    }
  }

  @BeforeAll
  static void start() {
    harness = new Harness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** Whether {@code i} is a create call ({@code POST …/responses}); polls, compaction, token counts are other endpoints. */
  static boolean isCreate(Interaction i) {
    return i.request().method().equals("POST") && i.request().path().endsWith("/responses");
  }

  /** Each cassette's create calls: replayable ones as cases, the others with the reason. */
  static Map<String, List<Object>> classify() {
    Map<String, List<Object>> out = new TreeMap<>();
    for (Path file : Cassette.list(Fixtures.path(DIR))) {
      Cassette cassette = Cassette.load(file);
      String name = file.getFileName().toString();
      List<Object> entries = new ArrayList<>();
      for (Interaction i : cassette.interactions()) {
        if (!isCreate(i)) continue;
        JsonNode request = i.request().json().orElseThrow();
        try {
          RecordedResponses.toRequest(request, OpenAiProvider.TYPE);
          entries.add(new Case(name, i.index(), request, i.response().status(), i.response().headers(), i.response().decodedBody(),
              request.path("stream").asBoolean(false)));
        } catch (RecordedResponses.Unsupported e) {
          entries.add(e.getMessage());
        }
      }
      if (entries.isEmpty()) entries.add("no create call: only other endpoints (token counting)");
      out.put(name, entries);
    }
    return out;
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    classify().values().forEach(l -> l.stream().filter(Case.class::isInstance).map(Case.class::cast).forEach(cases::add));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> replayEveryRecordedCreateCallThatUsesMappedFeatures() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> replay(c)));
  }

  @Test
  void everyCassetteIsReplayedOrListed() {
    Map<String, List<Object>> all = classify();
    Map<String, String> unreplayed = new TreeMap<>();
    all.forEach((name, entries) -> {
      if (entries.stream().noneMatch(Case.class::isInstance)) unreplayed.put(name, (String) entries.get(0));
    });
    assertThat(unreplayed).as("cassettes with no replayable call, each with its reason").isEqualTo(SKIPPED);
    assertThat(all).as("cassettes in " + DIR).hasSize(93);
    assertThat(all.size() - unreplayed.size()).as("cassettes with at least one replayed call").isEqualTo(REPLAYED_CASSETTES);
    assertThat(cases()).as("replayed create calls").hasSize(REPLAYED_CALLS);
    assertThat(cases()).as("streamed replays").filteredOn(Case::stream).hasSize(STREAMED_CALLS);
  }

  /** 93 cassettes: 61 with at least one replayed call, 32 listed in {@link #SKIPPED}. */
  static final int REPLAYED_CASSETTES = 61;
  /**
   * Create calls replayed of the 133 recorded; each of the other 51 has its reason in {@link #classify}. Six of them
   * (thinking_part, thinking_with_tool_calls, thinking_with_modified_history, requires_function_call_status_none,
   * phase_live, phase_streamed_on_part_start) send reasoning items back, replayed since reasoning round-trips.
   */
  static final int REPLAYED_CALLS = 82;
  /** Of them streamed (one a recorded 400). */
  static final int STREAMED_CALLS = 9;

  private void replay(Case c) throws Exception {
    harness.server.resetAll();
    ResponseDefinitionBuilder response = aResponse().withStatus(c.status()).withBody(c.body());
    c.headers().forEach((name, values) -> {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("content-type") || n.startsWith("x-ratelimit") || n.equals("x-request-id") || n.startsWith("retry-after")) {
        response.withHeader(name, values.toArray(String[]::new));
      }
    });
    if (c.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
      response.withHeader("Content-Type", c.stream() ? "text/event-stream" : "application/json");
    }
    harness.server.stubFor(post(urlPathEqualTo("/v1/responses")).willReturn(response));

    ChatRequest request = RecordedResponses.toRequest(c.request(), OpenAiProvider.TYPE);
    String model = c.request().get("model").asText();
    OpenAiProvider provider = harness.provider(OpenAi.deployment("replay").apiKey(KEY).api(OpenAiApi.RESPONSES));
    ProviderCall call = new ProviderCall(ProviderRequest.from(request), new TargetRef("replay", "openai", model), BOUND, 1);

    if (c.status() >= 400) {
      SwitchboardException e = c.stream() ? streamError(provider, call) : chatError(provider, call);
      assertRecordedError(c, e);
    } else if (c.stream()) {
      RecordingListener listener = new RecordingListener();
      provider.stream(call, listener);
      List<JsonNode> events = RecordedResponses.events(c.body());
      JsonNode last = RecordedResponses.finalResponse(events).orElseThrow();
      ResponseMetadata meta = listener.await(BOUND);
      StreamCollector acc = new StreamCollector();
      listener.events.forEach(acc::accept);
      ChatResponse r = acc.response(call.target(), meta);
      RecordedResponses.Answer expected = RecordedResponses.fromResponse(last);
      assertAnswer(r, expected);
      assertThat(r.rawFinishReason()).as("raw finish reason").isEqualTo(RecordedResponses.rawFinishReason(last));
      assertThat(r.text()).as("text deltas add up to the final text").isEqualTo(RecordedResponses.streamedText(events));
      assertThat(r.message().refusal()).isEqualTo(expected.refusal());
      assertThat(meta.id()).contains(expected.id());
      assertThat(r.serviceTier()).as("service tier").isEqualTo(tier(last));
      assertThat(listener.events).last().isInstanceOf(ChatEvent.Finish.class);
    } else {
      ChatResponse r = provider.chat(call).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      RecordedResponses.Answer expected = RecordedResponses.fromResponse(tree(c.body()));
      assertAnswer(r, expected);
      assertReasoning(r, tree(c.body()));
      assertThat(r.rawFinishReason()).as("raw finish reason").isEqualTo(RecordedResponses.rawFinishReason(tree(c.body())));
      assertThat(r.message().refusal()).isEqualTo(expected.refusal());
      assertThat(r.id()).contains(expected.id());
      assertThat(r.serviceTier()).as("service tier").isEqualTo(tier(tree(c.body())));
    }
    assertSentBodyMatchesRecording(c.request());
    byte[] sent = harness.server.getAllServeEvents().get(0).getRequest().getBody();
    var recordedViolations = OpenAiRequestSchema.validate("CreateResponse", ProviderTestKit.objectMapper().writeValueAsBytes(c.request()));
    if (recordedViolations.isEmpty()) {
      OpenAiRequestSchema.assertValidResponsesRequest(sent);
    } else {
      // The recorded request breaks the schema itself (a temperature of -1, answered with a 400; a null item status):
      // the replayed body may break it only where the recorded one does.
      assertThat(recordedViolations.stream().map(v -> v.getMessage()).toList()).as("violations of the recorded body")
          .containsAll(OpenAiRequestSchema.validate("CreateResponse", sent).stream().map(v -> v.getMessage()).toList());
    }
    harness.server.resetRequests();
  }

  private static Optional<String> tier(JsonNode response) {
    JsonNode t = response.path("service_tier");
    return t.isTextual() && !t.asText().isEmpty() ? Optional.of(t.asText()) : Optional.empty();
  }

  private static void assertAnswer(ChatResponse r, RecordedResponses.Answer expected) {
    assertThat(r.text()).isEqualTo(expected.text());
    assertThat(r.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(r.finishReason()).isEqualTo(expected.finishReason());
    assertThat(r.usage()).isEqualTo(expected.usage().orElse(Usage.EMPTY));
    assertThat(r.model()).isEqualTo(expected.model());
  }

  /** The answer's reasoning blocks are the recorded output's reasoning items: id, summary parts, encrypted content. */
  private static void assertReasoning(ChatResponse r, JsonNode response) {
    List<dev.switchboard.Reasoning> expected = new ArrayList<>();
    for (JsonNode item : response.path("output")) {
      if (!item.path("type").asText().equals("reasoning")) continue;
      dev.switchboard.Reasoning.Builder b = dev.switchboard.Reasoning.builder(dev.switchboard.Reasoning.Wire.RESPONSES)
          .id(item.get("id").asText());
      item.path("summary").forEach(s -> b.summary(s.get("text").asText()));
      StringBuilder text = new StringBuilder();
      item.path("content").forEach(p -> text.append(p.path("text").asText()));
      b.text(text.toString());
      if (item.hasNonNull("encrypted_content")) b.encryptedContent(item.get("encrypted_content").asText());
      expected.add(b.build());
    }
    assertThat(r.message().reasoning()).as("reasoning items").isEqualTo(expected);
  }

  private static void assertRecordedError(Case c, SwitchboardException e) {
    JsonNode error = tree(c.body()).get("error");
    String code = error.path("code").isNull() ? "" : error.path("code").asText("");
    ErrorKind expected = switch (c.status()) {
      case 400 -> code.equals("context_length_exceeded") ? ErrorKind.CONTEXT_LENGTH_EXCEEDED : ErrorKind.INVALID_REQUEST;
      case 401 -> ErrorKind.AUTHENTICATION;
      case 404 -> ErrorKind.NOT_FOUND;
      case 429 -> code.equals("insufficient_quota") ? ErrorKind.QUOTA_EXCEEDED : ErrorKind.RATE_LIMITED;
      default -> throw new AssertionError("no expectation for recorded status " + c.status());
    };
    assertThat(e.kind()).isEqualTo(expected);
    assertThat(e.httpStatus()).hasValue(c.status());
    assertThat(e.providerCode()).isEqualTo(code.isEmpty() ? Optional.empty() : Optional.of(code));
    assertThat(e.providerType()).isEqualTo(error.path("type").isTextual() ? Optional.of(error.get("type").asText()) : Optional.empty());
    assertThat(e.provider()).contains("openai");
    assertThat(e.getMessage()).doesNotContain(KEY);
    String start = error.get("message").asText();
    assertThat(e.detail()).startsWith(start.substring(0, Math.min(30, start.length())));
  }

  /** The written body says what the recorded one says, in Switchboard's spelling. */
  private void assertSentBodyMatchesRecording(JsonNode recorded) throws IOException {
    JsonNode sent = ProviderTestKit.objectMapper().readTree(harness.server.getAllServeEvents().get(0).getRequest().getBody());
    assertThat(sent.get("model")).isEqualTo(recorded.get("model"));
    assertThat(sent.path("stream").asBoolean(false)).isEqualTo(recorded.path("stream").asBoolean(false));
    assertThat(sent.get("store")).as("store").isEqualTo(recorded.has("store") ? recorded.get("store")
        : ProviderTestKit.objectMapper().getNodeFactory().booleanNode(false));
    // Leading system / developer input messages and the recorded instructions both become instructions.
    List<String> instructions = new ArrayList<>();
    if (!recorded.path("instructions").asText("").isEmpty()) instructions.add(recorded.get("instructions").asText());
    List<JsonNode> recordedItems = new ArrayList<>();
    recorded.path("input").forEach(recordedItems::add);
    while (!recordedItems.isEmpty() && List.of("system", "developer").contains(recordedItems.get(0).path("role").asText())) {
      JsonNode content = recordedItems.remove(0).get("content");
      instructions.add(content.isTextual() ? content.asText() : content.findValuesAsText("text").stream().reduce("", String::concat));
    }
    assertThat(sent.path("instructions").asText("")).isEqualTo(String.join("\n\n", instructions));
    List<String> sentKinds = new ArrayList<>();
    sent.get("input").forEach(i -> sentKinds.add(kind(i)));
    List<String> recordedKinds = new ArrayList<>();
    // An assistant message with no text says nothing: Switchboard sends none.
    recordedItems.stream().filter(i -> !(kind(i).equals("message:assistant") && i.get("content").isTextual()
        && i.get("content").asText().isEmpty())).forEach(i -> recordedKinds.add(kind(i)));
    if (recorded.get("input").isTextual()) recordedKinds.add("message:user");
    assertThat(sentKinds).as("input items").isEqualTo(recordedKinds);
    List<JsonNode> sentReasoning = new ArrayList<>();
    sent.get("input").forEach(i -> {
      if (kind(i).equals("reasoning")) sentReasoning.add(i);
    });
    List<JsonNode> recordedReasoning = recordedItems.stream().filter(i -> kind(i).equals("reasoning")).toList();
    assertThat(sentReasoning).as("reasoning items").hasSameSizeAs(recordedReasoning);
    for (int i = 0; i < sentReasoning.size(); i++) {
      for (String f : List.of("id", "summary", "encrypted_content")) {
        assertThat(sentReasoning.get(i).get(f)).as("reasoning item %d %s, sent back unchanged", i, f).isEqualTo(recordedReasoning.get(i).get(f));
      }
    }
    assertThat(sent.get("input").findValuesAsText("call_id")).isEqualTo(
        recordedItems.stream().flatMap(i -> i.findValuesAsText("call_id").stream()).toList());
    assertThat(sent.path("tools").findValuesAsText("name")).isEqualTo(recorded.path("tools").findValuesAsText("name"));
    for (int i = 0; i < sent.path("tools").size(); i++) {
      assertThat(sent.get("tools").get(i).get("strict")).isEqualTo(recorded.get("tools").get(i).get("strict"));
      assertThat(sent.get("tools").get(i).get("parameters")).isEqualTo(recorded.get("tools").get(i).get("parameters"));
    }
    assertThat(sent.get("tool_choice")).isEqualTo(recorded.get("tool_choice"));
    JsonNode format = recorded.at("/text/format");
    if (!format.isMissingNode() && !format.path("type").asText().equals("text")) {
      assertThat(sent.at("/text/format/type")).isEqualTo(format.get("type"));
      assertThat(sent.at("/text/format/schema")).isEqualTo(format.path("schema").isMissingNode() ? sent.at("/text/format/schema")
          : format.get("schema"));
    }
    for (String field : List.of("include", "reasoning", "max_output_tokens", "temperature", "top_p", "truncation", "service_tier")) {
      JsonNode r = recorded.get(field);
      if (r != null && !r.isNull()) assertThat(withoutNulls(sent.get(field))).as(field).isEqualTo(withoutNulls(r));
    }
  }

  /** {@code node} without null members: {@code "summary": null} means what leaving it out does. */
  private static JsonNode withoutNulls(JsonNode node) {
    if (node == null || !node.isObject()) return node;
    com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
    copy.properties().removeIf(e -> e.getValue().isNull());
    return copy;
  }

  /** An input item's kind: {@code message:<role>} or its type. */
  private static String kind(JsonNode item) {
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    if (!type.equals("message")) return type;
    String role = item.path("role").asText();
    return "message:" + (role.equals("developer") ? "system" : role);
  }

  private static SwitchboardException chatError(OpenAiProvider provider, ProviderCall call) throws Exception {
    try {
      provider.chat(call).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SwitchboardException.class);
      return (SwitchboardException) e.getCause();
    }
    throw new AssertionError("recorded error replayed as success");
  }

  private static SwitchboardException streamError(OpenAiProvider provider, ProviderCall call) {
    RecordingListener listener = new RecordingListener();
    provider.stream(call, listener);
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> listener.await(BOUND));
    assertThat(e).as("recorded error replayed as a clean stream").isNotNull();
    assertThat(listener.events).isEmpty();
    return e;
  }

  @SuppressWarnings("unused")
  private static Optional<String> header(Case c, String name) {
    return c.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst();
  }
}
