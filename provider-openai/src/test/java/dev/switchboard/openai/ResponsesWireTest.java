package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ContentPart;
import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.Message;
import dev.switchboard.ModelAlias;
import dev.switchboard.ResponseFormat;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.spi.ResponseMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ResponsesWire}: what each request feature is written as, and how answers, errors and streams are read. */
class ResponsesWireTest {
  private static final ErrorContext CTX = new ErrorContext("openai", "t");
  private final ResponsesWire wire = new ResponsesWire(ProviderTestKit.objectMapper());

  private ChatWire.Encoded encode(ChatRequest r, Map<String, Object> extras, boolean stream) {
    return wire.encode(ProviderRequest.from(r), "gpt-5", new OpenAiCodec.Options(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS, stream, extras));
  }

  private JsonNode body(ChatRequest r) throws IOException {
    byte[] b = encode(r, Map.of(), false).body();
    OpenAiRequestSchema.assertValidResponsesRequest(b);
    return ProviderTestKit.objectMapper().readTree(b);
  }

  @Test
  void writesEveryMappedRequestFeature() throws IOException {
    ChatRequest r = ChatRequest.builder("a")
        .system("Be brief.").system("Answer in French.")
        .message(Message.user(ContentPart.text("Look:"), ContentPart.imageUrl("https://x.test/a.png"),
            new ContentPart.ImageBytes(new byte[] {1, 2}, "image/png").withDetail(ContentPart.ImageDetail.LOW),
            new ContentPart.DocumentBytes(new byte[] {3}, "application/pdf"), ContentPart.documentFile("file-1")))
        .message(AssistantMessage.of("Calling.", List.of(new ToolCall("call_1", "lookup", "{\"q\":1}"))))
        .message(Message.toolResult("call_1", "42"))
        .message(Message.system("Now be verbose."))
        .tool(new ToolDefinition("lookup", "Looks up", "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"integer\"}}}"))
        .toolChoice(ToolChoice.tool("lookup"))
        .responseFormat(ResponseFormat.jsonSchema("answer", "The answer", "{\"type\":\"object\"}", true))
        .maxTokens(100).temperature(0.5).topP(0.9).endUser("u-1")
        .build();
    JsonNode b = body(r);
    assertThat(b.get("instructions").asText()).isEqualTo("Be brief.\n\nAnswer in French.");
    assertThat(b.get("store").asBoolean(true)).as("store false by default").isFalse();
    assertThat(b.get("max_output_tokens").asInt()).isEqualTo(100);
    assertThat(b.has("max_completion_tokens")).isFalse();
    JsonNode input = b.get("input");
    assertThat(input).hasSize(5);
    JsonNode parts = input.get(0).get("content");
    assertThat(parts.get(0).get("type").asText()).isEqualTo("input_text");
    assertThat(parts.get(1).get("detail").asText()).as("detail defaults to auto").isEqualTo("auto");
    assertThat(parts.get(2).get("image_url").asText()).isEqualTo("data:image/png;base64,AQI=");
    assertThat(parts.get(2).get("detail").asText()).isEqualTo("low");
    assertThat(parts.get(3).get("type").asText()).isEqualTo("input_file");
    assertThat(parts.get(3).get("filename").asText()).isEqualTo("document.pdf");
    assertThat(parts.get(3).get("file_data").asText()).isEqualTo("data:application/pdf;base64,Aw==");
    assertThat(parts.get(4).get("file_id").asText()).isEqualTo("file-1");
    assertThat(input.get(1).get("role").asText()).isEqualTo("assistant");
    assertThat(input.get(1).get("content").asText()).isEqualTo("Calling.");
    assertThat(input.get(2).get("type").asText()).isEqualTo("function_call");
    assertThat(input.get(2).get("call_id").asText()).isEqualTo("call_1");
    assertThat(input.get(3).get("type").asText()).isEqualTo("function_call_output");
    assertThat(input.get(3).get("output").asText()).isEqualTo("42");
    assertThat(input.get(4).get("role").asText()).as("a later system message stays in place").isEqualTo("system");
    JsonNode tool = b.get("tools").get(0);
    assertThat(tool.get("type").asText()).isEqualTo("function");
    assertThat(tool.get("name").asText()).isEqualTo("lookup");
    assertThat(tool.has("function")).as("Responses tools are flat").isFalse();
    assertThat(tool.get("strict").isBoolean() && !tool.get("strict").asBoolean()).as("strict false written: the API defaults to true")
        .isTrue();
    assertThat(b.get("tool_choice").toString()).isEqualTo("{\"type\":\"function\",\"name\":\"lookup\"}");
    assertThat(b.at("/text/format").toString()).isEqualTo(
        "{\"type\":\"json_schema\",\"name\":\"answer\",\"description\":\"The answer\",\"schema\":{\"type\":\"object\"},\"strict\":true}");
    assertThat(b.get("user").asText()).isEqualTo("u-1");
  }

  @Test
  void streamsAndProviderOptionsAreWritten() throws IOException {
    ChatRequest r = ChatRequest.of("a", "hi");
    byte[] b = encode(r, Map.of("reasoning", Map.of("effort", "low", "summary", "auto"), "include",
        List.of("reasoning.encrypted_content"), "store", true), true).body();
    OpenAiRequestSchema.assertValidResponsesRequest(b);
    JsonNode n = ProviderTestKit.objectMapper().readTree(b);
    assertThat(n.get("stream").asBoolean()).isTrue();
    assertThat(n.has("stream_options")).isFalse();
    assertThat(n.at("/reasoning/effort").asText()).isEqualTo("low");
    assertThat(n.get("store").asBoolean()).as("the store option overrides the default").isTrue();
    assertThat(n.toString()).containsOnlyOnce("\"store\"");
  }

  @Test
  void reasoningOnAtTheModelsDefaultAsksOnlyForTheEncryptedReasoning() throws IOException {
    JsonNode n = body(ChatRequest.builder("a").user("hi").reasoning(dev.switchboard.ReasoningSettings.enabled()).build());
    assertThat(n.has("reasoning")).as("no effort or summary named: no reasoning object").isFalse();
    assertThat(n.get("include").toString()).isEqualTo("[\"reasoning.encrypted_content\"]");
    assertThat(n.get("store").asBoolean()).isFalse();
    JsonNode without = body(ChatRequest.of("a", "hi"));
    assertThat(without.has("include")).as("no reasoning asked for: nothing included").isFalse();
  }

  @Test
  void theServiceTierIsWrittenByItsWireName() throws IOException {
    assertThat(body(ChatRequest.builder("a").user("hi").serviceTier(dev.switchboard.ServiceTier.FLEX).build())
        .get("service_tier").asText()).isEqualTo("flex");
    ChatWire.Encoded reserved = encode(ChatRequest.builder("a").user("hi").serviceTier(dev.switchboard.ServiceTier.RESERVED).build(),
        Map.of(), false);
    assertThat(ProviderTestKit.objectMapper().readTree(reserved.body()).has("service_tier")).isFalse();
    assertThat(reserved.warnings()).singleElement().asString().contains("reserved");
  }

  @Test
  void whatTheApiCannotCarryIsDroppedWithAWarning() {
    ChatRequest r = ChatRequest.builder("a").user("hi").stop(List.of("END")).seed(7)
        .message(new AssistantMessage("", List.of(), Optional.of("I can't."))).user("why?").build();
    ChatWire.Encoded e = encode(r, Map.of(), false);
    assertThat(e.warnings()).hasSize(3).anyMatch(w -> w.startsWith("stop sequences")).anyMatch(w -> w.startsWith("seed"))
        .anyMatch(w -> w.contains("refusal"));
    assertThat(new String(e.body(), StandardCharsets.UTF_8)).doesNotContain("END").doesNotContain("\"seed\"");
  }

  @Test
  void builtInToolsAndServerSideStateAreRefusedWithTheReason() {
    ChatRequest r = ChatRequest.of("a", "hi");
    assertThatThrownBy(() -> encode(r, Map.of("tools", List.of(Map.of("type", "web_search"))), false))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
        .hasMessageContaining("built-in tools").hasMessageContaining("web_search").hasMessageContaining("ChatRequest.tools");
    assertThatThrownBy(() -> encode(r, Map.of("previous_response_id", "resp_1"), false))
        .isInstanceOf(SwitchboardException.class).hasMessageContaining("previous_response_id");
    assertThatThrownBy(() -> encode(r, Map.of("conversation", "conv_1"), false))
        .isInstanceOf(SwitchboardException.class).hasMessageContaining("conversation");
    assertThatThrownBy(() -> encode(r, Map.of("background", true), false))
        .isInstanceOf(SwitchboardException.class).hasMessageContaining("polling");
    assertThat(encode(r, Map.of("background", false), false).body()).isNotEmpty();
    ChatRequest json = ChatRequest.builder("a").user("hi").responseFormat(ResponseFormat.jsonObject()).build();
    assertThatThrownBy(() -> encode(json, Map.of("text", Map.of("verbosity", "low")), false))
        .isInstanceOf(SwitchboardException.class).hasMessageContaining("'text' conflicts");
    assertThatThrownBy(() -> encode(r, Map.of("input", "x"), false)).isInstanceOf(SwitchboardException.class)
        .hasMessageContaining("'input' conflicts");
  }

  private ChatResponse decode(String json) {
    return wire.decodeResponse(json.getBytes(StandardCharsets.UTF_8), CTX, List.of(), ExtraFields.NONE)
        .servedBy(new dev.switchboard.TargetRef("t", "openai", "m")).build();
  }

  private static String response(String status, String incomplete, String output) {
    return "{\"id\":\"resp_1\",\"status\":\"" + status + "\",\"model\":\"gpt-5\",\"incomplete_details\":" + incomplete
        + ",\"output\":[" + output + "],\"usage\":{\"input_tokens\":10,\"input_tokens_details\":{\"cached_tokens\":4},"
        + "\"output_tokens\":7,\"output_tokens_details\":{\"reasoning_tokens\":3}}}";
  }

  @Test
  void readsFinishReasonsRefusalsUsageAndReasoningSummaries() {
    ChatResponse r = decode(response("incomplete", "{\"reason\":\"max_output_tokens\"}",
        "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Think.\"}],\"encrypted_content\":\"gAAA\"},"
            + "{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Par\"}]},"
            + "{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"is\"}]}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.text()).isEqualTo("Paris");
    assertThat(r.usage().cachedInputTokens()).hasValue(4);
    assertThat(r.usage().reasoningTokens()).hasValue(3);
    assertThat(r.message().reasoning()).containsExactly(dev.switchboard.Reasoning.builder(dev.switchboard.Reasoning.Wire.RESPONSES)
        .id("rs_1").summary("Think.").encryptedContent("gAAA").build());
    assertThat(decode(response("incomplete", "{\"reason\":\"content_filter\"}", "")).finishReason())
        .isEqualTo(FinishReason.CONTENT_FILTER);
    ChatResponse refused = decode(response("completed", "null",
        "{\"type\":\"message\",\"content\":[{\"type\":\"refusal\",\"refusal\":\"I can't help with that.\"}]}"));
    assertThat(refused.message().refusal()).contains("I can't help with that.");
    assertThat(refused.finishReason()).isEqualTo(FinishReason.STOP);
    ChatResponse calls = decode(response("completed", "null",
        "{\"type\":\"function_call\",\"call_id\":\"call_9\",\"name\":\"f\",\"arguments\":\"{}\"}"));
    assertThat(calls.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(calls.toolCalls()).containsExactly(new ToolCall("call_9", "f", "{}"));
  }

  @Test
  void aFailedResponseIsItsTypedErrorAndAQueuedOneIsAProtocolError() {
    assertThatThrownBy(() -> decode("{\"id\":\"r\",\"status\":\"failed\",\"error\":{\"code\":\"rate_limit_exceeded\","
        + "\"message\":\"slow down\"},\"output\":[]}"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
          assertThat(e.providerCode()).contains("rate_limit_exceeded");
        });
    assertThatThrownBy(() -> decode("{\"id\":\"r\",\"status\":\"queued\",\"output\":[]}"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL))
        .hasMessageContaining("background");
    assertThatThrownBy(() -> decode("[1]")).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
  }

  private List<ChatEvent> stream(SseDecoder d, String... events) {
    List<ChatEvent> out = new ArrayList<>();
    for (String e : events) d.accept("message", e, out::add);
    return out;
  }

  @Test
  void streamEventsBecomeChatEvents() {
    SseDecoder d = wire.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    List<ChatEvent> events = stream(d,
        "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_s\",\"model\":\"gpt-5\",\"status\":\"in_progress\"}}",
        "{\"type\":\"response.reasoning_summary_text.delta\",\"item_id\":\"rs_1\",\"summary_index\":0,\"delta\":\"Hm\"}",
        "{\"type\":\"response.output_text.delta\",\"delta\":\"\"}",
        "{\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}",
        "{\"type\":\"response.refusal.delta\",\"delta\":\"No\"}",
        "{\"type\":\"response.output_item.added\",\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\","
            + "\"name\":\"f\",\"arguments\":\"\"}}",
        "{\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"delta\":\"{}\"}",
        "{\"type\":\"response.function_call_arguments.done\",\"item_id\":\"fc_1\",\"arguments\":\"{}\"}",
        "{\"type\":\"response.output_item.done\",\"item\":{\"type\":\"function_call\",\"id\":\"fc_2\",\"call_id\":\"call_2\","
            + "\"name\":\"g\",\"arguments\":\"{\\\"a\\\":1}\"}}",
        "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_s\",\"status\":\"completed\",\"usage\":{\"input_tokens\":3,"
            + "\"output_tokens\":2}}}");
    assertThat(d.isDone()).isTrue();
    assertThat(events).containsExactly(
        new ChatEvent.ReasoningDelta(0, dev.switchboard.Reasoning.Wire.RESPONSES, "", java.util.OptionalInt.empty(), Optional.of("rs_1"),
            Optional.empty(), Optional.empty()),
        ChatEvent.ReasoningDelta.summary(0, 0, "Hm"),
        new ChatEvent.TextDelta("Hi"), new ChatEvent.RefusalDelta("No"),
        new ChatEvent.ToolCallDelta(0, Optional.of("call_1"), Optional.of("f"), ""),
        new ChatEvent.ToolCallDelta(0, Optional.empty(), Optional.empty(), "{}"),
        new ChatEvent.ToolCallDelta(1, Optional.of("call_2"), Optional.of("g"), ""),
        new ChatEvent.ToolCallDelta(1, Optional.empty(), Optional.empty(), "{\"a\":1}"),
        new ChatEvent.UsageUpdate(dev.switchboard.Usage.of(3, 2)),
        new ChatEvent.Finish(FinishReason.TOOL_CALLS));
    ResponseMetadata m = d.finish(e -> { }, Optional.of("req"), Optional.empty());
    assertThat(m.model()).isEqualTo("gpt-5");
    assertThat(m.id()).contains("resp_s");
    assertThat(m.metadata()).doesNotContainKey("openai.refusal");
  }

  @Test
  void anIncompleteStreamEndsWithItsReason() {
    SseDecoder d = wire.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    List<ChatEvent> events = stream(d, "{\"type\":\"response.output_text.delta\",\"delta\":\"Par\"}",
        "{\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":"
            + "\"max_output_tokens\"}}}");
    assertThat(events).last().isEqualTo(new ChatEvent.Finish(FinishReason.LENGTH));
  }

  @Test
  void streamErrorsAreTypedAndACutStreamIsAProtocolError() {
    assertThatThrownBy(() -> stream(wire.streamDecoder(CTX, List.of(), ExtraFields.NONE),
        "{\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow\",\"param\":null}"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED));
    assertThatThrownBy(() -> stream(wire.streamDecoder(CTX, List.of(), ExtraFields.NONE),
        "{\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR))
        .hasMessageContaining("boom");
    SseDecoder cut = wire.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    stream(cut, "{\"type\":\"response.output_text.delta\",\"delta\":\"Par\"}");
    assertThatThrownBy(() -> cut.finish(e -> { }, Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL))
        .hasMessageContaining("without response.completed");
    assertThatThrownBy(() -> stream(wire.streamDecoder(CTX, List.of(), ExtraFields.NONE),
        "{\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_x\",\"delta\":\"{\"}"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
    assertThatThrownBy(() -> stream(wire.streamDecoder(CTX, List.of(), ExtraFields.NONE), "not json"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
  }

  @Test
  void anUnknownApiValueNamesTheAllowedOnes() {
    try (Harness h = new Harness()) {
      Deployment d = Deployment.builder("main", "openai").setting("api", "assistants").build();
      assertThatThrownBy(() -> new OpenAiProviderFactory().create(d, h.context))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("deployments.main.api: unknown api 'assistants' (allowed: chat-completions, responses)");
    }
  }

  @Test
  void yamlApiResponsesSendsToTheResponsesEndpoint() {
    try (Harness h = new Harness()) {
      h.server.stubFor(post(urlPathEqualTo("/v1/responses")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withHeader("x-request-id", "req_r")
          .withHeader("x-ratelimit-remaining-requests", "99").withHeader("x-ratelimit-reset-tokens", "6ms")
          .withBody(response("completed", "null", "{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Paris.\"}]}"))));
      String yaml = """
          deployments:
            main:
              type: openai
              base-url: %s
              api: responses
          models:
            chat:
              targets:
                - {deployment: main, model: gpt-5}
          """.formatted(h.baseUrl());
      try (Switchboard sb = ConfigLoader.withEnvironment(Map.of())
          .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).httpClient(h.httpClient).build()) {
        ChatResponse r = sb.chat(ChatRequest.builder("chat").user("Capital of France?").stop(List.of("x")).build());
        assertThat(r.text()).isEqualTo("Paris.");
        assertThat(r.requestId()).contains("req_r");
        assertThat(r.rateLimit()).hasValueSatisfying(l -> assertThat(l.remainingRequests()).hasValue(99L));
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("stop sequences"));
      }
      assertThat(h.server.getAllServeEvents()).hasSize(1);
      h.validateRequests();
    }
  }

  @Test
  void theBuilderSetsTheApi() {
    Deployment d = OpenAi.deployment("x").api(OpenAiApi.RESPONSES).build();
    assertThat(d.setting("api")).contains("responses");
    assertThat(ModelAlias.builder("m").target("x", "gpt-5").build().name()).isEqualTo("m");
  }
}
