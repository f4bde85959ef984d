package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ToolDefinition;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed request features of issue 14 in Chat Completions (shared by OpenAI and Azure):
 * strict tools, schema descriptions, image detail, several-part system and assistant text, file
 * parts. Every body is checked against the OpenAI OpenAPI spec.
 */
class TypedRequestFeaturesTest {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());

  private JsonNode encode(ChatRequest request) throws IOException {
    byte[] body = codec.encodeRequest(ProviderRequest.from(request), "gpt-4o", OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS));
    OpenAiRequestSchema.assertValidChatRequest(body);
    return ProviderTestKit.objectMapper().readTree(body);
  }

  private static JsonNode tree(String json) throws IOException {
    return ProviderTestKit.objectMapper().readTree(json);
  }

  @Test
  void strictToolIsFunctionStrict() throws IOException {
    JsonNode b = encode(ChatRequest.builder("a").user("weather?")
        .tool(new ToolDefinition("get_weather", "Current weather", SCHEMA, true))
        .tool(ToolDefinition.of("get_time", "")).build());
    assertThat(b.at("/tools/0")).isEqualTo(tree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"description\":\"Current weather\",\"parameters\":" + SCHEMA + ",\"strict\":true}}"));
    assertThat(b.at("/tools/1/function").has("strict")).isFalse();
  }

  @Test
  void schemaDescriptionIsJsonSchemaDescription() throws IOException {
    JsonNode b = encode(ChatRequest.builder("a").user("where")
        .responseFormat(ResponseFormat.jsonSchema("city", "The city the user asks about.", SCHEMA, true)).build());
    assertThat(b.get("response_format")).isEqualTo(tree("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"city\","
        + "\"description\":\"The city the user asks about.\",\"schema\":" + SCHEMA + ",\"strict\":true}}"));
    JsonNode none = encode(ChatRequest.builder("a").user("where").responseFormat(ResponseFormat.jsonSchema("city", SCHEMA, false)).build());
    assertThat(none.at("/response_format/json_schema").has("description")).isFalse();
  }

  @Test
  void imageDetailIsImageUrlDetail() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    JsonNode b = encode(ChatRequest.builder("a").message(Message.user(ContentPart.text("what?"),
        ContentPart.imageUrl("https://example.com/cat.jpg").withDetail(ContentPart.ImageDetail.LOW),
        ContentPart.image(png, "image/png").withDetail(ContentPart.ImageDetail.HIGH),
        ContentPart.imageUrl("https://example.com/dog.jpg"))).build());
    assertThat(b.at("/messages/0/content/1/image_url")).isEqualTo(tree("{\"url\":\"https://example.com/cat.jpg\",\"detail\":\"low\"}"));
    assertThat(b.at("/messages/0/content/2/image_url/detail").asText()).isEqualTo("high");
    assertThat(b.at("/messages/0/content/3/image_url").has("detail")).isFalse();
  }

  @Test
  void severalTextPartsAreSentAsAnArray() throws IOException {
    JsonNode b = encode(ChatRequest.builder("a")
        .message(Message.system(ContentPart.text("Be brief."), ContentPart.text("Answer in French.")))
        .user("hi")
        .message(AssistantMessage.ofParts(List.of(ContentPart.text("Bonjour."), ContentPart.text(" Ça va ?"))))
        .system("one string stays a string")
        .user("oui").build());
    assertThat(b.at("/messages/0/content")).isEqualTo(tree("[{\"type\":\"text\",\"text\":\"Be brief.\"},"
        + "{\"type\":\"text\",\"text\":\"Answer in French.\"}]"));
    assertThat(b.at("/messages/2")).isEqualTo(tree("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Bonjour.\"},"
        + "{\"type\":\"text\",\"text\":\" Ça va ?\"}]}"));
    assertThat(b.at("/messages/3/content").asText()).isEqualTo("one string stays a string");
  }

  @Test
  void documentsAreFileParts() throws IOException {
    byte[] pdf = "%PDF-1.4".getBytes(StandardCharsets.US_ASCII);
    JsonNode b = encode(ChatRequest.builder("a").message(Message.user(ContentPart.text("Summarise."),
        ContentPart.document(pdf, "application/pdf", "report.pdf"),
        ContentPart.documentFile("file-abc123"))).build());
    assertThat(b.at("/messages/0/content/1")).isEqualTo(tree("{\"type\":\"file\",\"file\":{\"file_data\":"
        + "\"data:application/pdf;base64,JVBERi0xLjQ=\",\"filename\":\"report.pdf\"}}"));
    assertThat(b.at("/messages/0/content/2")).isEqualTo(tree("{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc123\"}}"));
  }
}
