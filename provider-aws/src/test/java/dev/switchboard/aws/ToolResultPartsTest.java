package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.aws.testing.Cassettes;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tool results made of content parts, and video, on Converse: each part its own
 * {@code toolResult.content} block ({@code text}, {@code json}, {@code image}, {@code document},
 * {@code video}), {@code video} blocks with the format from the media type and {@code bytes} or
 * {@code s3Location}; every body checked against Bedrock's service-2.json. The recorded calls that
 * return an image or a PDF from a tool, and the recorded video call, are built with the typed API
 * and replayed: what is sent is the recorded conversation, and the recorded answer comes back.
 */
class ToolResultPartsTest extends BedrockTestBase {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
  private static final byte[] PDF = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);
  private final ConverseRequestWriter writer = new ConverseRequestWriter(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "d"));

  private JsonNode body(ChatRequest r) throws IOException {
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(r));
    JsonNode node = ProviderTestKit.objectMapper().readTree(w.body());
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", node)).as("body %s", node).isEmpty();
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseStreamRequest", node)).isEmpty();
    assertThat(w.warnings()).isEmpty();
    return node;
  }

  private static ChatRequest.Builder afterCall(String tool) {
    return ChatRequest.builder("a").user("use the tool")
        .message(AssistantMessage.of("", List.of(new ToolCall("call_1", tool, "{}"))))
        .tool(ToolDefinition.of(tool, "a tool"));
  }

  @Test
  void eachToolResultPartIsItsOwnBlock() throws IOException {
    JsonNode b = body(afterCall("report").message(ToolResultMessage.of("call_1", ContentPart.text("Two files:"),
        ContentPart.json("{\"rows\": 2, \"ok\": true}"), ContentPart.image(PNG, "image/png"),
        ContentPart.document(PDF, "application/pdf", "Document 1"), ContentPart.video(new byte[] {0, 0, 0, 24}, "video/mp4")))
        .build());
    JsonNode result = b.at("/messages/2/content/0/toolResult");
    assertThat(result.get("toolUseId").asText()).isEqualTo("call_1");
    assertThat(result.has("status")).as("success is the default and not sent").isFalse();
    JsonNode content = result.get("content");
    assertThat(content).hasSize(5);
    assertThat(content.get(0).get("text").asText()).isEqualTo("Two files:");
    assertThat(content.get(1).get("json")).isEqualTo(ProviderTestKit.objectMapper().readTree("{\"rows\":2,\"ok\":true}"));
    assertThat(content.at("/2/image/format").asText()).isEqualTo("png");
    assertThat(Base64.getDecoder().decode(content.at("/2/image/source/bytes").asText())).isEqualTo(PNG);
    assertThat(content.at("/3/document/format").asText()).isEqualTo("pdf");
    assertThat(content.at("/3/document/name").asText()).isEqualTo("Document 1");
    assertThat(content.at("/4/video/format").asText()).isEqualTo("mp4");
    assertThat(content.at("/4/video/source/bytes").asText()).isEqualTo("AAAAGA==");
  }

  @Test
  void aFailedToolsPartsCarryStatusError() throws IOException {
    JsonNode b = body(afterCall("lookup").message(new ToolResultMessage("call_1",
        List.of(ContentPart.json("{\"error\": \"not found\"}")), true)).build());
    assertThat(b.at("/messages/2/content/0/toolResult/status").asText()).isEqualTo("error");
    assertThat(b.at("/messages/2/content/0/toolResult/content/0/json/error").asText()).isEqualTo("not found");
    // The one-string result is one text block, as before; an empty one is still one block.
    JsonNode empty = body(afterCall("lookup").message(Message.toolResult("call_1", "")).build());
    assertThat(empty.at("/messages/2/content/0/toolResult/content")).hasSize(1);
    assertThat(empty.at("/messages/2/content/0/toolResult/content/0/text").asText()).isEmpty();
  }

  @Test
  void jsonPartsOfAnyJsonValueAreSentAsTheyAre() throws IOException {
    JsonNode b = body(afterCall("list").message(ToolResultMessage.of("call_1", ContentPart.json("[1, \"two\", null]"),
        ContentPart.json("\"plain\""))).build());
    assertThat(b.at("/messages/2/content/0/toolResult/content/0/json").toString()).isEqualTo("[1,\"two\",null]");
    assertThat(b.at("/messages/2/content/0/toolResult/content/1/json").asText()).isEqualTo("plain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"video/mp4", "video/quicktime", "video/x-matroska", "video/webm", "video/x-flv", "video/mpeg",
      "video/x-ms-wmv", "video/3gpp"})
  void videoIsAVideoBlockWithBedrocksFormatName(String mediaType) throws IOException {
    JsonNode b = body(ChatRequest.builder("a").message(Message.user(ContentPart.text("What happens?"),
        ContentPart.video(new byte[] {1, 2, 3}, mediaType))).build());
    JsonNode video = b.at("/messages/0/content/1/video");
    assertThat(video.get("format").asText()).isEqualTo(ContentPart.VIDEO_FORMATS.get(mediaType));
    assertThat(video.at("/source/bytes").asText()).isEqualTo("AQID");
  }

  @Test
  void videoFromS3IsAnS3Location() throws IOException {
    JsonNode b = body(ChatRequest.builder("a").message(Message.user(ContentPart.text("Summarise both."),
        ContentPart.videoS3("s3://my-bucket/clips/a.mov", "video/quicktime"),
        ContentPart.videoS3("s3://their-bucket/b.mp4", "video/mp4").withBucketOwner("123456789012"))).build());
    assertThat(b.at("/messages/0/content/1/video/format").asText()).isEqualTo("mov");
    assertThat(b.at("/messages/0/content/1/video/source/s3Location/uri").asText()).isEqualTo("s3://my-bucket/clips/a.mov");
    assertThat(b.at("/messages/0/content/1/video/source/s3Location").has("bucketOwner")).isFalse();
    assertThat(b.at("/messages/0/content/2/video/source/s3Location/bucketOwner").asText()).isEqualTo("123456789012");
    assertThat(BedrockProvider.CAPABILITIES.video()).isTrue();
    assertThat(BedrockOpenAiProvider.CAPABILITIES.video()).as("Bedrock's OpenAI-compatible chat has no video").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"test_bedrock_media_kind_delivered_in_tool_result[meta_image].yaml",
      "test_bedrock_media_kind_delivered_in_tool_result[meta_document].yaml",
      "test_bedrock_media_kind_delivered_in_tool_result[mistral_document].yaml", "test_video_url_input.yaml"})
  void recordedCallsWithMediaAreSentAsRecorded(String cassette) throws IOException {
    int replayed = 0;
    for (Cassettes.Interaction it : Cassettes.read(Fixtures.path("bedrock/pydantic-ai/" + cassette))) {
      if (!it.uri().contains("bedrock-runtime")) continue; // the video cassette first downloads the file
      JsonNode recorded = ProviderTestKit.objectMapper().readTree(it.requestBody());
      String rawPath = URI.create(it.uri()).getRawPath();
      String model = URLDecoder.decode(rawPath.substring("/model/".length(), rawPath.lastIndexOf('/')), StandardCharsets.UTF_8);
      wm.resetAll();
      JsonNode answer = ProviderTestKit.objectMapper().valueToTree(it.responseBody());
      wm.stubFor(post(urlPathEqualTo(rawPath)).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody(answer.toString())));
      ChatRequest typed = ConverseTypedApiCoverageTest.toRequest(recorded);
      ChatResponse r = chat(typed, model);
      JsonNode sent = ProviderTestKit.objectMapper().readTree(requests().get(0).getBody());
      assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", sent)).isEmpty();
      assertThat(sent.get("messages")).as(cassette).isEqualTo(expectedMessages(recorded));
      assertThat(r.text()).isEqualTo(answer.at("/output/message/content/0/text").asText(""));
      assertThat(r.warnings()).isEmpty();
      replayed++;
    }
    assertThat(replayed).isPositive();
  }

  /**
   * The recorded messages as the typed API sends them: {@code status: success} (Bedrock's default)
   * is left out, and the video call's {@code format: video/mp4}, which Bedrock answered although
   * service-2.json's VideoFormat enum does not list it, is sent as the enum's {@code mp4}.
   */
  private static JsonNode expectedMessages(JsonNode recorded) {
    JsonNode messages = recorded.get("messages").deepCopy();
    for (JsonNode result : messages.findParents("toolUseId")) {
      if (result.path("status").asText().equals("success")) ((ObjectNode) result).remove("status");
    }
    for (JsonNode video : messages.findValues("video")) {
      String format = video.get("format").asText();
      if (ContentPart.VIDEO_FORMATS.containsKey(format)) ((ObjectNode) video).put("format", ContentPart.VIDEO_FORMATS.get(format));
    }
    return messages;
  }
}
