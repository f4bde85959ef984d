package dev.switchboard.aws;

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
import dev.switchboard.ToolResultMessage;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ChatRequest → Converse body; every body produced here is also checked against the API model. */
class RequestMappingTest {
  static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "Current weather",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
  final ConverseRequestWriter writer = new ConverseRequestWriter(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "d"));

  JsonNode body(ChatRequest r) throws IOException {
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(r));
    JsonNode node = ProviderTestKit.objectMapper().readTree(w.body());
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", node)).as("body %s", node).isEmpty();
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseStreamRequest", node)).isEmpty();
    return node;
  }

  SwitchboardException rejected(ChatRequest r) {
    try {
      writer.write(ProviderRequest.from(r));
    } catch (SwitchboardException e) {
      return e;
    }
    throw new AssertionError("not rejected");
  }

  @Test
  void recordedSimpleRequestIsReproducedExactly() throws IOException {
    // test_bedrock_model_retry.yaml's first request, without pydantic-ai's empty inferenceConfig
    ChatRequest r = ChatRequest.builder("a").system("You are a helpful chatbot.").user("What is the capital of France?")
        .temperature(0.0).tool(new ToolDefinition("get_capital", "Get the capital of a country.",
            "{\"additionalProperties\":false,\"properties\":{\"country\":{\"description\":\"The country name.\",\"type\":\"string\"}},"
                + "\"required\":[\"country\"],\"type\":\"object\"}"))
        .toolChoice(ToolChoice.auto()).build();
    assertThat(body(r)).isEqualTo(ProviderTestKit.objectMapper().readTree("{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"What is the capital of France?\"}]}],"
        + " \"system\": [{\"text\": \"You are a helpful chatbot.\"}], \"inferenceConfig\": {\"temperature\": 0.0}, \"toolConfig\": {\"tools\":"
        + " [{\"toolSpec\": {\"name\": \"get_capital\", \"inputSchema\": {\"json\": {\"additionalProperties\": false, \"properties\":"
        + " {\"country\": {\"description\": \"The country name.\", \"type\": \"string\"}}, \"required\": [\"country\"], \"type\": \"object\"}},"
        + " \"description\": \"Get the capital of a country.\"}}], \"toolChoice\": {\"auto\": {}}}}"));
  }

  @Test
  void toolHistoryMapsToToolUseAndToolResultWithErrorStatus() throws IOException {
    ChatRequest r = ChatRequest.builder("a").user("Weather?")
        .message(AssistantMessage.of("Let me check.", List.of(new ToolCall("tooluse_1", "get_weather", "{\"city\":\"Paris\"}"))))
        .message(ToolResultMessage.error("tooluse_1", "service down"))
        .message(Message.user("try again"))
        .tool(WEATHER).build();
    JsonNode b = body(r);
    assertThat(b.get("messages")).hasSize(3);
    JsonNode assistant = b.get("messages").get(1);
    assertThat(assistant.get("role").asText()).isEqualTo("assistant");
    assertThat(assistant.get("content").get(1).get("toolUse").get("input").get("city").asText()).isEqualTo("Paris");
    JsonNode user = b.get("messages").get(2);
    assertThat(user.get("content")).hasSize(2); // tool result and the next user text merged into one user turn
    assertThat(user.get("content").get(0).get("toolResult").get("status").asText()).isEqualTo("error");
    assertThat(user.get("content").get(0).get("toolResult").get("toolUseId").asText()).isEqualTo("tooluse_1");
    assertThat(user.get("content").get(1).get("text").asText()).isEqualTo("try again");
  }

  @Test
  void consecutiveSameRoleMessagesMergeAndSystemMessagesMoveOut() throws IOException {
    ChatRequest r = ChatRequest.builder("a").user("one").system("sys").user("two").message(Message.assistant("a1"))
        .message(Message.assistant("a2")).user("three").build();
    JsonNode b = body(r);
    assertThat(b.get("system").get(0).get("text").asText()).isEqualTo("sys");
    assertThat(b.get("messages")).hasSize(3);
    assertThat(b.get("messages").get(0).get("content")).hasSize(2);
    assertThat(b.get("messages").get(1).get("content")).hasSize(2);
  }

  @Test
  void imagesAreSentAsBytesAndUrlsAreRejectedBeforeSending() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    JsonNode b = body(ChatRequest.builder("a").message(Message.user(ContentPart.text("what is this?"), ContentPart.image(png, "image/png"))).build());
    JsonNode image = b.get("messages").get(0).get("content").get(1).get("image");
    assertThat(image.get("format").asText()).isEqualTo("png");
    assertThat(Base64.getDecoder().decode(image.get("source").get("bytes").asText())).isEqualTo(png);

    String dataUrl = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(png);
    JsonNode fromData = body(ChatRequest.builder("a").message(Message.user(ContentPart.imageUrl(dataUrl))).build());
    assertThat(fromData.get("messages").get(0).get("content").get(0).get("image").get("format").asText()).isEqualTo("jpeg");

    SwitchboardException e = rejected(ChatRequest.builder("a")
        .message(Message.user(ContentPart.text("x"), ContentPart.imageUrl("https://example.com/cat.png"))).build());
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.detail()).contains("Bedrock cannot fetch images by URL").contains("messages[0]");
  }

  @Test
  void toolChoicesMap() throws IOException {
    assertThat(body(ChatRequest.builder("a").user("x").tool(WEATHER).toolChoice(ToolChoice.required()).build())
        .at("/toolConfig/toolChoice").has("any")).isTrue();
    assertThat(body(ChatRequest.builder("a").user("x").tool(WEATHER).toolChoice(ToolChoice.tool("get_weather")).build())
        .at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("get_weather");
    assertThat(body(ChatRequest.builder("a").user("x").tool(WEATHER).toolChoice(ToolChoice.none()).build()).has("toolConfig")).isFalse();
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(ChatRequest.builder("a").user("x")
        .message(AssistantMessage.of("", List.of(new ToolCall("t1", "get_weather", "{}"))))
        .message(Message.toolResult("t1", "sunny")).tool(WEATHER).toolChoice(ToolChoice.none()).build()));
    assertThat(w.warnings()).anyMatch(s -> s.contains("toolChoice none"));
  }

  @Test
  void jsonSchemaGoesThroughAForcedToolOrNatively() throws IOException {
    ResponseFormat person = ResponseFormat.jsonSchema("person", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}", true);
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(ChatRequest.builder("a").user("who").responseFormat(person).build()));
    assertThat(w.outputTool()).contains("person");
    JsonNode b = body(ChatRequest.builder("a").user("who").responseFormat(person).build());
    assertThat(b.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("person");
    assertThat(b.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("person");
    JsonNode withTools = body(ChatRequest.builder("a").user("who").tool(WEATHER).responseFormat(person).build());
    assertThat(withTools.at("/toolConfig/tools")).hasSize(2);
    assertThat(withTools.at("/toolConfig/toolChoice").has("any")).isTrue();
    JsonNode jsonObject = body(ChatRequest.builder("a").user("who").responseFormat(ResponseFormat.jsonObject()).build());
    assertThat(jsonObject.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("json_response");
    JsonNode nativeFormat = body(ChatRequest.builder("a").user("who").responseFormat(person)
        .providerOption("bedrock", "structuredOutput", "native").build());
    assertThat(nativeFormat.has("toolConfig")).isFalse();
    assertThat(nativeFormat.at("/outputConfig/textFormat/structure/jsonSchema/name").asText()).isEqualTo("person");
  }

  @Test
  void inferenceConfigWarningsAndProviderOptions() throws IOException {
    ChatRequest r = ChatRequest.builder("a").user("x").maxTokens(100).temperature(1.5).topP(0.9).stop(List.of("END", "")).seed(7)
        .providerOption("bedrock", "additionalModelRequestFields", Map.of("top_k", 40)).build();
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(r));
    JsonNode b = body(r);
    assertThat(b.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(100);
    assertThat(b.at("/inferenceConfig/temperature").asDouble()).isEqualTo(1.0);
    assertThat(b.at("/inferenceConfig/stopSequences")).hasSize(1);
    assertThat(b.at("/additionalModelRequestFields/top_k").asInt()).isEqualTo(40);
    assertThat(w.warnings()).anyMatch(s -> s.contains("temperature 1.5")).anyMatch(s -> s.contains("seed"));
    assertThat(rejected(ChatRequest.builder("a").user("x").providerOption("bedrock", "topK", 4).build()).detail())
        .contains("unknown providerOptions.bedrock key(s) [topK]");
    assertThat(rejected(ChatRequest.builder("a").user("x").providerOption("bedrock", "structuredOutput", "magic").build()).kind())
        .isEqualTo(ErrorKind.INVALID_REQUEST);
  }

  @Test
  void invalidToolHistoryIsRejectedBeforeSending() {
    assertThat(rejected(ChatRequest.builder("a").user("x")
        .message(AssistantMessage.of("", List.of(new ToolCall("t1", "get_weather", "not json")))).tool(WEATHER).build()).detail())
        .contains("not valid JSON");
    assertThat(rejected(ChatRequest.builder("a").user("x")
        .message(AssistantMessage.of("", List.of(new ToolCall("t1", "get_weather", "{}")))).build()).detail())
        .contains("declares no tools");
    assertThat(rejected(ChatRequest.builder("a").system("only system").build()).kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
  }

  @Test
  void foreignToolCallIdsAreMappedConsistently() throws IOException {
    String foreign = "call with spaces/and#symbols-" + "x".repeat(80);
    JsonNode b = body(ChatRequest.builder("a").user("x")
        .message(AssistantMessage.of("", List.of(new ToolCall(foreign, "get_weather", "{}"))))
        .message(Message.toolResult(foreign, "ok")).tool(WEATHER).build());
    String use = b.at("/messages/1/content/0/toolUse/toolUseId").asText();
    assertThat(use).matches("[a-zA-Z0-9_.:-]{1,64}");
    assertThat(b.at("/messages/2/content/0/toolResult/toolUseId").asText()).isEqualTo(use);
  }
}
