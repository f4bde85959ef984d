package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the codec writes for each part of a request; every body is also checked against the schema. */
class RequestEncodingTest {
  private static final String WEATHER = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), java.time.Clock.systemUTC());

  private JsonNode encode(ChatRequest request, OpenAiCodec.Options options) throws IOException {
    byte[] body = codec.encodeRequest(ProviderRequest.from(request), "gpt-4o", options);
    OpenAiRequestSchema.assertValidChatRequest(body);
    return ProviderTestKit.objectMapper().readTree(body);
  }

  private JsonNode encode(ChatRequest request) throws IOException {
    return encode(request, OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS)
        .withExtraFields(request.providerOptions("openai")));
  }

  @Test
  void everyMessageKindAndContentPart() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    ChatRequest r = ChatRequest.builder("alias")
        .system("Be brief.")
        .message(Message.user(ContentPart.text("What is this?"), ContentPart.imageUrl("https://example.com/cat.jpg"),
            ContentPart.image(png, "image/png")))
        .message(new AssistantMessage("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")), Optional.empty()))
        .message(Message.toolResult("call_1", "18C"))
        .message(new AssistantMessage("", List.of(), Optional.of("I can't help with that.")))
        .user("thanks")
        .tool(new ToolDefinition("get_weather", "Current weather", WEATHER))
        .build();
    JsonNode m = encode(r).get("messages");
    assertThat(m.get(0)).isEqualTo(tree("{\"role\":\"system\",\"content\":\"Be brief.\"}"));
    assertThat(m.get(1)).isEqualTo(tree("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw==\"}}]}"));
    assertThat(m.get(2)).isEqualTo(tree("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}"));
    assertThat(m.get(3)).isEqualTo(tree("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18C\"}"));
    assertThat(m.get(4)).isEqualTo(tree("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":\"I can't help with that.\"}"));
    assertThat(m.get(5)).isEqualTo(tree("{\"role\":\"user\",\"content\":\"thanks\"}"));
  }

  @Test
  void samplingAndLimits() throws IOException {
    ChatRequest r = ChatRequest.builder("alias").user("hi").temperature(0.2).topP(0.9).maxTokens(64)
        .stop(List.of("END", "STOP")).seed(42).endUser("user-7").build();
    JsonNode b = encode(r);
    assertThat(b.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(b.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(b.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(b.get("max_completion_tokens").asInt()).isEqualTo(64);
    assertThat(b.has("max_tokens")).isFalse();
    assertThat(b.get("stop")).isEqualTo(tree("[\"END\",\"STOP\"]"));
    assertThat(b.get("seed").asLong()).isEqualTo(42);
    assertThat(b.get("user").asText()).isEqualTo("user-7");
    assertThat(b.has("stream")).isFalse();
    assertThat(b.has("response_format")).as("text is the default and is not sent").isFalse();
  }

  @Test
  void legacyMaxTokensFieldForOlderServers() throws IOException {
    JsonNode b = encode(ChatRequest.builder("alias").user("hi").maxTokens(10).build(),
        OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_TOKENS));
    assertThat(b.get("max_tokens").asInt()).isEqualTo(10);
    assertThat(b.has("max_completion_tokens")).isFalse();
  }

  @Test
  void streamingAsksForUsage() throws IOException {
    JsonNode b = encode(ChatRequest.of("alias", "hi"),
        OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS).withStream(true));
    assertThat(b.get("stream").asBoolean()).isTrue();
    assertThat(b.get("stream_options")).isEqualTo(tree("{\"include_usage\":true}"));
  }

  @ParameterizedTest
  @EnumSource(ToolChoice.Mode.class)
  void toolsAndEveryToolChoice(ToolChoice.Mode mode) throws IOException {
    ToolChoice choice = switch (mode) {
      case AUTO -> ToolChoice.auto();
      case NONE -> ToolChoice.none();
      case REQUIRED -> ToolChoice.required();
      case TOOL -> ToolChoice.tool("get_weather");
    };
    ChatRequest r = ChatRequest.builder("alias").user("weather?")
        .tool(new ToolDefinition("get_weather", "Current weather", WEATHER))
        .tool(ToolDefinition.of("get_time", ""))
        .toolChoice(choice).providerOption("openai", "parallel_tool_calls", false).build();
    JsonNode b = encode(r);
    assertThat(b.get("tools").get(0)).isEqualTo(tree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"description\":\"Current weather\",\"parameters\":" + WEATHER + "}}"));
    assertThat(b.get("tools").get(1).get("function").has("description")).isFalse();
    JsonNode expected = switch (mode) {
      case AUTO -> tree("\"auto\"");
      case NONE -> tree("\"none\"");
      case REQUIRED -> tree("\"required\"");
      case TOOL -> tree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
    };
    assertThat(b.get("tool_choice")).isEqualTo(expected);
    assertThat(b.get("parallel_tool_calls").asBoolean(true)).isFalse();
  }

  @Test
  void responseFormats() throws IOException {
    assertThat(encode(ChatRequest.builder("alias").user("json please").responseFormat(ResponseFormat.jsonObject()).build())
        .get("response_format")).isEqualTo(tree("{\"type\":\"json_object\"}"));
    String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"],\"additionalProperties\":false}";
    assertThat(encode(ChatRequest.builder("alias").user("n?").responseFormat(ResponseFormat.jsonSchema("answer", schema, true)).build())
        .get("response_format")).isEqualTo(tree("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"schema\":"
            + schema + ",\"strict\":true}}"));
  }

  @Test
  void providerOptionsPassThroughAndOtherNamespacesAreIgnored() throws IOException {
    ChatRequest r = ChatRequest.builder("alias").user("think")
        .providerOption("openai", "reasoning_effort", "low")
        .providerOption("openai", "logit_bias", java.util.Map.of("50256", -100))
        .providerOption("openai", "metadata", java.util.Map.of("team", "search"))
        .providerOption("bedrock", "guardrailConfig", java.util.Map.of("x", 1))
        .build();
    JsonNode b = encode(r, OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS)
        .withExtraFields(r.providerOptions("openai")));
    assertThat(b.get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(b.get("logit_bias").get("50256").asInt()).isEqualTo(-100);
    assertThat(b.get("metadata").get("team").asText()).isEqualTo("search");
    assertThat(b.has("guardrailConfig")).isFalse();
  }

  @Test
  void providerOptionsMayNotOverrideWhatTheRequestSets() {
    ChatRequest r = ChatRequest.builder("alias").user("hi").temperature(1).build();
    for (String key : List.of("temperature", "model", "messages", "stream", "stream_options")) {
      assertThatThrownBy(() -> codec.encodeRequest(ProviderRequest.from(r), "gpt-4o", OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_TOKENS)
          .withExtraFields(java.util.Map.of(key, 0))))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
            assertThat(e.detail()).contains("'" + key + "'");
          });
    }
  }

  @Test
  void embeddingsRequest() throws IOException {
    byte[] body = codec.encodeEmbeddings(dev.switchboard.EmbeddingRequest.of("alias", List.of("a", "b")).withDimensions(256),
        "text-embedding-3-small");
    OpenAiRequestSchema.assertValidEmbeddingsRequest(body);
    assertThat(ProviderTestKit.objectMapper().readTree(body)).isEqualTo(tree("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],"
        + "\"dimensions\":256,\"encoding_format\":\"float\"}"));
  }

  private static JsonNode tree(String json) throws IOException {
    return ProviderTestKit.objectMapper().readTree(json);
  }
}
