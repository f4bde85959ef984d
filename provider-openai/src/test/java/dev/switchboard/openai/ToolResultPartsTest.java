package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tool results made of content parts on both OpenAI wires, every body checked against the OpenAPI
 * spec. Chat Completions: a tool message takes text parts only (the spec's
 * {@code ChatCompletionRequestToolMessageContentPart}), so JSON goes as text and images and
 * documents follow in a user message after the run of tool messages. Responses:
 * {@code function_call_output.output} is the string for one text or JSON part, else a list of
 * {@code input_text} / {@code input_image} / {@code input_file}. Video reaches neither: the provider
 * does not claim the capability (routing skips it) and the writers refuse it.
 */
class ToolResultPartsTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
  private static final byte[] PDF = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());
  private final ResponsesWire responses = new ResponsesWire(ProviderTestKit.objectMapper());

  private JsonNode chat(ChatRequest request) throws IOException {
    byte[] body = codec.encodeRequest(ProviderRequest.from(request), "gpt-4o", OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS));
    OpenAiRequestSchema.assertValidChatRequest(body);
    return ProviderTestKit.objectMapper().readTree(body);
  }

  private JsonNode responses(ChatRequest request) throws IOException {
    ChatWire.Encoded e = responses.encode(ProviderRequest.from(request), "gpt-5",
        new OpenAiCodec.Options(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS, false, Map.of()));
    OpenAiRequestSchema.assertValidResponsesRequest(e.body());
    assertThat(e.warnings()).isEmpty();
    return ProviderTestKit.objectMapper().readTree(e.body());
  }

  private static ChatRequest.Builder afterCalls(String... ids) {
    List<ToolCall> calls = java.util.Arrays.stream(ids).map(id -> new ToolCall(id, "get_file", "{}")).toList();
    return ChatRequest.builder("a").user("get the files").message(AssistantMessage.of("", calls))
        .tool(ToolDefinition.of("get_file", "returns a file"));
  }

  private static ToolResultMessage mixed(String id) {
    return ToolResultMessage.of(id, ContentPart.text("Found it:"), ContentPart.json("{\"pages\": 1}"),
        ContentPart.image(PNG, "image/png"), ContentPart.document(PDF, "application/pdf", "report.pdf"));
  }

  @Test
  void chatToolMessagesKeepTheirTextAndJsonAndTheMediaFollowInAUserMessage() throws IOException {
    JsonNode b = chat(afterCalls("call_1", "call_2").message(mixed("call_1"))
        .message(Message.toolResult("call_2", ContentPart.json("{\"ok\": true}"))).user("and now?").build());
    JsonNode m = b.get("messages");
    assertThat(m).hasSize(6);
    assertThat(m.at("/2/role").asText()).isEqualTo("tool");
    assertThat(m.at("/2/tool_call_id").asText()).isEqualTo("call_1");
    assertThat(m.at("/2/content").findValuesAsText("type")).containsExactly("text", "text", "text");
    assertThat(m.at("/2/content/0/text").asText()).isEqualTo("Found it:");
    assertThat(m.at("/2/content/1/text").asText()).isEqualTo("{\"pages\": 1}");
    assertThat(m.at("/2/content/2/text").asText())
        .isEqualTo("[images or documents of this result follow in the next user message, after \"Output of tool call call_1:\"]");
    // One JSON part is the content string, as a one-string result always was.
    assertThat(m.at("/3/role").asText()).isEqualTo("tool");
    assertThat(m.at("/3/content").asText()).isEqualTo("{\"ok\": true}");
    // After every tool message of the turn (the API wants them right after the calls), the media.
    JsonNode media = m.get(4);
    assertThat(media.get("role").asText()).isEqualTo("user");
    assertThat(media.get("content").findValuesAsText("type")).containsExactly("text", "image_url", "file");
    assertThat(media.at("/content/0/text").asText()).isEqualTo("Output of tool call call_1:");
    assertThat(media.at("/content/1/image_url/url").asText()).isEqualTo("data:image/png;base64,iVBORw==");
    assertThat(media.at("/content/2/file/filename").asText()).isEqualTo("report.pdf");
    assertThat(m.at("/5/content").asText()).isEqualTo("and now?");
  }

  /**
   * pydantic-ai's recorded call of a tool that returns an image, which OpenAI answered ("The image
   * shows a potato."): the tool message held text, the image came in the user message after it.
   * The typed tool result of that image is sent in the same shape.
   */
  @Test
  void aRecordedToolImageGoesWhereTheRecordingPutIt() throws IOException {
    JsonNode recorded = dev.switchboard.testkit.cassette.Cassette.fixture("openai/pydantic-ai/test_image_url_tool_response.yaml")
        .interactions().get(1).request().json().orElseThrow();
    JsonNode rm = recorded.get("messages");
    String callId = rm.at("/1/tool_calls/0/id").asText();
    String url = rm.at("/3/content/1/image_url/url").asText();
    JsonNode b = chat(ChatRequest.builder("a").user(rm.at("/0/content/0/text").asText())
        .message(AssistantMessage.of("", List.of(new ToolCall(callId, "get_image", "{}"))))
        .message(ToolResultMessage.of(callId, ContentPart.imageUrl(url)))
        .tool(ToolDefinition.of("get_image", "")).build());
    JsonNode m = b.get("messages");
    assertThat(m.findValuesAsText("role")).isEqualTo(rm.findValuesAsText("role"));
    assertThat(m.at("/2/tool_call_id").asText()).isEqualTo(callId);
    assertThat(m.at("/3/content").findValuesAsText("type")).isEqualTo(rm.at("/3/content").findValuesAsText("type"));
    assertThat(m.at("/3/content/1")).isEqualTo(rm.at("/3/content/1"));
  }

  @Test
  void theSpecAllowsOnlyTextPartsInAChatToolMessage() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Fixtures.present(), "shared fixtures not found");
    String imageInToolMessage = "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":"
        + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw==\"}}]}]}";
    assertThat(OpenAiRequestSchema.chatProblems(imageInToolMessage)).isNotEmpty();
    String textParts = "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]}";
    assertThat(OpenAiRequestSchema.chatProblems(textParts)).isEmpty();
  }

  @Test
  void chatToolResultsWithMediaOnlyAreSentFromEachRun() throws IOException {
    JsonNode b = chat(afterCalls("call_1").message(Message.toolResult("call_1", ContentPart.imageUrl("https://x.test/a.png")))
        .message(AssistantMessage.of("", List.of(new ToolCall("call_2", "get_file", "{}"))))
        .message(Message.toolResult("call_2", ContentPart.documentFile("file-abc"))).build());
    JsonNode m = b.get("messages");
    assertThat(m.findValuesAsText("role")).containsExactly("user", "assistant", "tool", "user", "assistant", "tool", "user");
    assertThat(m.at("/2/content")).hasSize(1);
    assertThat(m.at("/3/content/1/image_url/url").asText()).isEqualTo("https://x.test/a.png");
    assertThat(m.at("/6/content/0/text").asText()).isEqualTo("Output of tool call call_2:");
    assertThat(m.at("/6/content/1/file/file_id").asText()).isEqualTo("file-abc");
  }

  @Test
  void responsesOutputIsAStringForOneTextOrJsonPartElseAList() throws IOException {
    JsonNode one = responses(afterCalls("call_1").message(Message.toolResult("call_1", ContentPart.json("{\"n\": 1}"))).build());
    JsonNode output = one.at("/input/2");
    assertThat(output.get("type").asText()).isEqualTo("function_call_output");
    assertThat(output.get("output").asText()).isEqualTo("{\"n\": 1}");

    JsonNode list = responses(afterCalls("call_1").message(mixed("call_1")).build()).at("/input/2/output");
    assertThat(list.findValuesAsText("type")).containsExactly("input_text", "input_text", "input_image", "input_file");
    assertThat(list.at("/1/text").asText()).isEqualTo("{\"pages\": 1}");
    assertThat(list.at("/2/image_url").asText()).isEqualTo("data:image/png;base64,iVBORw==");
    assertThat(list.at("/2/detail").asText()).isEqualTo("auto");
    assertThat(list.at("/3/filename").asText()).isEqualTo("report.pdf");
    assertThat(list.at("/3/file_data").asText()).startsWith("data:application/pdf;base64,");

    JsonNode byId = responses(afterCalls("call_1").message(Message.toolResult("call_1",
        ContentPart.imageUrl("https://x.test/a.png").withDetail(ContentPart.ImageDetail.HIGH), ContentPart.documentFile("file-abc")))
        .build()).at("/input/2/output");
    assertThat(byId.at("/0/detail").asText()).isEqualTo("high");
    assertThat(byId.at("/1/file_id").asText()).isEqualTo("file-abc");
  }

  @Test
  void videoIsRefusedByBothWritersAndNotClaimedByTheProviders() {
    ChatRequest video = ChatRequest.builder("a").message(Message.user(ContentPart.text("What happens?"),
        ContentPart.video(new byte[] {1}, "video/mp4"))).build();
    assertThatThrownBy(() -> codec.encodeRequest(ProviderRequest.from(video), "gpt-4o", OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_TOKENS)))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("video parts are not supported by Chat Completions");
        });
    ChatRequest fromTool = afterCalls("call_1").message(Message.toolResult("call_1",
        ContentPart.videoS3("s3://my-bucket/a.mp4", "video/mp4"))).build();
    assertThatThrownBy(() -> responses.encode(ProviderRequest.from(fromTool), "gpt-5", OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_TOKENS)))
        .isInstanceOfSatisfying(SwitchboardException.class, e ->
            assertThat(e.getMessage()).contains("video parts are not supported by the Responses API"));
    Harness h = new Harness();
    try {
      OpenAiProvider provider = h.provider(OpenAi.deployment("o").apiKey(dev.switchboard.Secret.of("k")));
      assertThat(provider.capabilities().video()).as("routing skips OpenAI for video").isFalse();
      assertThat(provider.capabilities().documents()).isTrue();
    } finally {
      h.close();
    }
  }
}
