package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bad input the foundation lists is rejected when built, with the field named. */
class RequestValidationTest {

  @Test
  void blankOrNullModel() {
    assertThatThrownBy(() -> ChatRequest.builder(null).user("hi").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model is blank");
    assertThatThrownBy(() -> ChatRequest.builder("  ").user("hi").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model is blank");
  }

  @Test
  void noMessages() {
    assertThatThrownBy(() -> ChatRequest.builder("m").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages is empty");
  }

  @Test
  void toolResultWithoutToolCallId() {
    assertThatThrownBy(() -> Message.toolResult("", "42"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toolCallId is blank");
    assertThatThrownBy(() -> new ToolResultMessage(null, "42", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toolCallId is blank");
  }

  @Test
  void toolWithBlankOrInvalidName() {
    assertThatThrownBy(() -> new ToolDefinition(" ", "d", "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool name is blank");
    assertThatThrownBy(() -> new ToolDefinition("get weather", "d", "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool name 'get weather' must match");
  }

  @Test
  void toolSchemaThatIsNotAJsonObject() {
    assertThatThrownBy(() -> new ToolDefinition("f", "d", "[1,2]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool 'f' parametersSchema must be a JSON object");
    assertThatThrownBy(() -> new ToolDefinition("f", "d", "{not json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool 'f' parametersSchema is not valid JSON");
    // Providers embed the schema's text as it is, so nothing may follow the object.
    assertThatThrownBy(() -> new ToolDefinition("f", "d", "{\"type\":\"object\"} {}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool 'f' parametersSchema is not valid JSON");
    assertThat(new ToolDefinition("f", "d", " {\"type\":\"object\"}\n").parametersSchema()).contains("object");
  }

  @Test
  void responseSchemaThatIsNotAJsonObject() {
    assertThatThrownBy(() -> ResponseFormat.jsonSchema("out", "\"string\"", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responseFormat 'out' schema must be a JSON object");
  }

  @Test
  void negativeOrZeroMaxTokens() {
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").maxTokens(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens -1 must be positive");
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").maxTokens(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens 0 must be positive");
  }

  @Test
  void temperatureOutsideZeroToTwo() {
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").temperature(2.01).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature 2.01 is outside [0, 2]");
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").temperature(-0.1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature -0.1 is outside [0, 2]");
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").temperature(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature NaN is outside [0, 2]");
    assertThat(ChatRequest.builder("m").user("hi").temperature(0).build().temperature()).hasValue(0);
    assertThat(ChatRequest.builder("m").user("hi").temperature(2).build().temperature()).hasValue(2);
  }

  @Test
  void imageWithUnknownMediaType() {
    assertThatThrownBy(() -> ContentPart.image(new byte[] {1, 2}, "image/bmp"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image mediaType 'image/bmp' is not one of");
    assertThatThrownBy(() -> ContentPart.image(new byte[0], "image/png"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image data is empty");
    assertThatThrownBy(() -> ContentPart.imageUrl("ftp://x/y.png"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image url must be http(s)");
  }

  @Test
  void otherBadValues() {
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").topP(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP 0.0 is outside (0, 1]");
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout PT0S must be positive");
    ToolDefinition t = ToolDefinition.of("f", "d");
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").tool(t).tool(t).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate tool name 'f'");
    assertThatThrownBy(() -> ChatRequest.builder("m").user("hi").tool(t).toolChoice(ToolChoice.tool("g")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toolChoice names tool 'g'");
    assertThatThrownBy(() -> EmbeddingRequest.of("m", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs is empty");
  }

  @Test
  void valuesAreImmutableAndToStringKeepsPromptsOut() {
    List<Message> messages = new java.util.ArrayList<>(List.of(Message.user("my secret prompt")));
    ChatRequest r = ChatRequest.builder("m").messages(messages).build();
    messages.clear();
    assertThat(r.messages()).hasSize(1);
    assertThatThrownBy(() -> r.messages().add(Message.user("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThat(r.toString()).doesNotContain("my secret prompt");
    byte[] img = {1, 2, 3};
    ContentPart.ImageBytes part = ContentPart.image(img, "image/png");
    img[0] = 9;
    assertThat(part.data()[0]).isEqualTo((byte) 1);
    assertThat(r.toBuilder().temperature(1).build().temperature()).hasValue(1);
  }

  @Test
  void secretsNeverShowInToString() {
    Secret s = Secret.of("sk-live-abcdef");
    Deployment d = Deployment.builder("azure-east", "azure-openai").setting("endpoint", "https://x.openai.azure.com")
        .secret("api-key", s).build();
    assertThat(s.toString()).doesNotContain("sk-live");
    assertThat(d.toString()).doesNotContain("sk-live").contains("api-key");
    assertThat(s.reveal()).isEqualTo("sk-live-abcdef");
  }

  @Test
  void typedRequestFeaturesAreValidatedWhenBuilt() {
    assertThat(new ToolDefinition("t", "d", "{}").strict()).isFalse();
    assertThat(new ToolDefinition("t", "d", "{}").withStrict(true).strict()).isTrue();
    assertThatThrownBy(() -> ResponseFormat.jsonSchema("s", null, "{}", true))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("description == null");
    assertThat(((ResponseFormat.JsonSchema) ResponseFormat.jsonSchema("s", "{}", true)).description()).isEmpty();
    assertThatThrownBy(() -> ContentPart.imageUrl("https://x/y.png").withDetail(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("detail == null");
    assertThatThrownBy(() -> ContentPart.document(new byte[0], "application/pdf", "a.pdf"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("document data is empty");
    assertThatThrownBy(() -> ContentPart.document(new byte[] {1}, "application/zip", "a.zip"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("document mediaType 'application/zip' is not one of");
    assertThatThrownBy(() -> ContentPart.document(new byte[] {1}, "application/pdf", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("document name is blank");
    assertThatThrownBy(() -> ContentPart.documentFile(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("document fileId is blank");
    assertThatThrownBy(() -> new SystemMessage(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("system message parts are empty");
    assertThat(Message.system(ContentPart.text("a"), ContentPart.text("b")).text()).isEqualTo("ab");
    assertThat(AssistantMessage.of("").parts()).isEmpty();
    assertThat(AssistantMessage.ofParts(List.of(ContentPart.text("a"), ContentPart.text("b"))).text()).isEqualTo("ab");
    byte[] data = {1, 2};
    ContentPart.DocumentBytes doc = ContentPart.document(data, "text/csv", "t.csv");
    data[0] = 9;
    assertThat(doc.data()[0]).as("bytes are copied").isEqualTo((byte) 1);
    assertThat(doc.format()).isEqualTo("csv");
    assertThat(doc.toString()).isEqualTo("DocumentBytes[text/csv, 2 bytes, t.csv]");
  }

  @Test
  void toolResultPartsAndVideoAreValidatedWhenBuilt() {
    ToolResultMessage r = Message.toolResult("c1", ContentPart.text("rows: "), ContentPart.json("{\"n\": 2}"),
        ContentPart.image(new byte[] {1}, "image/png"));
    assertThat(r.text()).isEqualTo("rows: {\"n\": 2}");
    assertThat(r.isTextOnly()).isFalse();
    assertThat(r.isError()).isFalse();
    assertThat(Message.toolResult("c1", "42")).isEqualTo(new ToolResultMessage("c1", List.of(ContentPart.text("42")), false));
    assertThat(Message.toolResult("c1", ContentPart.json("[1, 2]")).isTextOnly()).isTrue();
    assertThat(ContentPart.json("\"a string\"").json()).isEqualTo("\"a string\"");
    assertThatThrownBy(() -> ContentPart.json("{\"n\": }")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("json part is not valid JSON");
    assertThatThrownBy(() -> ContentPart.json("{} {}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("json part is not valid JSON");
    assertThatThrownBy(() -> ContentPart.json("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ToolResultMessage("c1", List.of(), false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool result content is empty");
    assertThatThrownBy(() -> Message.toolResult("c1", ContentPart.text("a"), ContentPart.cachePoint()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ChatRequest.Builder.cachePoint()");
    assertThatThrownBy(() -> Message.user(ContentPart.json("{}"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON parts belong in tool results");

    byte[] data = {0, 0, 0, 24};
    ContentPart.VideoBytes video = ContentPart.video(data, "video/mp4");
    data[0] = 9;
    assertThat(video.data()[0]).as("bytes are copied").isZero();
    assertThat(video.format()).isEqualTo("mp4");
    assertThat(video.toString()).isEqualTo("VideoBytes[video/mp4, 4 bytes]");
    assertThat(ContentPart.video(new byte[] {1}, "video/3gpp").format()).isEqualTo("three_gp");
    assertThat(Message.user(ContentPart.text("what happens?"), video).hasVideo()).isTrue();
    assertThatThrownBy(() -> ContentPart.video(new byte[0], "video/mp4")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("video data is empty");
    assertThatThrownBy(() -> ContentPart.video(new byte[] {1}, "video/avi")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("video mediaType 'video/avi' is not one of");
    ContentPart.VideoS3 s3 = ContentPart.videoS3("s3://my-bucket/clips/a.mov", "video/quicktime").withBucketOwner("123456789012");
    assertThat(s3.format()).isEqualTo("mov");
    assertThat(s3.bucketOwner()).contains("123456789012");
    assertThatThrownBy(() -> ContentPart.videoS3("https://my-bucket/a.mp4", "video/mp4")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/key");
    assertThatThrownBy(() -> ContentPart.videoS3("s3://My_Bucket/a.mp4", "video/mp4")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContentPart.videoS3("s3://my-bucket/a.mp4", "video/mp4").withBucketOwner("12"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12-digit");
  }
}
