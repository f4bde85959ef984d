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
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The typed request features of issue 14 on Converse: strict tools, schema descriptions, image
 * detail (a warning), several-part system and assistant text, documents. Every body is checked
 * against Bedrock's service-2.json.
 */
class TypedRequestFeaturesTest {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private final ConverseRequestWriter writer = new ConverseRequestWriter(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "d"));

  private ConverseRequestWriter.Written written(ChatRequest r) throws IOException {
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(r));
    JsonNode node = ProviderTestKit.objectMapper().readTree(w.body());
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", node)).as("body %s", node).isEmpty();
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseStreamRequest", node)).isEmpty();
    return w;
  }

  private JsonNode body(ChatRequest r) throws IOException {
    return ProviderTestKit.objectMapper().readTree(written(r).body());
  }

  @Test
  void strictToolIsToolSpecStrict() throws IOException {
    JsonNode b = body(ChatRequest.builder("a").user("weather?")
        .tool(new dev.switchboard.ToolDefinition("get_weather", "Current weather", SCHEMA, true))
        .tool(dev.switchboard.ToolDefinition.of("get_time", "")).build());
    assertThat(b.at("/toolConfig/tools/0/toolSpec/strict").asBoolean()).isTrue();
    assertThat(b.at("/toolConfig/tools/1/toolSpec").has("strict")).as("strict false is the default and not sent").isFalse();
  }

  @Test
  void schemaDescriptionGoesToTheOutputToolOrTheNativeSchema() throws IOException {
    ResponseFormat f = ResponseFormat.jsonSchema("city", "The city the user asks about.", SCHEMA, true);
    JsonNode forced = body(ChatRequest.builder("a").user("where").responseFormat(f).build());
    assertThat(forced.at("/toolConfig/tools/0/toolSpec/description").asText()).startsWith("The city the user asks about. Give the final");
    JsonNode nativeFormat = body(ChatRequest.builder("a").user("where").responseFormat(f)
        .providerOption("bedrock", "structuredOutput", "native").build());
    assertThat(nativeFormat.at("/outputConfig/textFormat/structure/jsonSchema/description").asText())
        .isEqualTo("The city the user asks about.");
  }

  @Test
  void imageDetailIsNotSentAndBecomesOneWarning() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    ChatRequest r = ChatRequest.builder("a").message(Message.user(ContentPart.text("what?"),
        new ContentPart.ImageBytes(png, "image/png").withDetail(ContentPart.ImageDetail.LOW),
        new ContentPart.ImageUrl("data:image/png;base64,iVBORw==").withDetail(ContentPart.ImageDetail.HIGH))).build();
    ConverseRequestWriter.Written w = written(r);
    JsonNode b = ProviderTestKit.objectMapper().readTree(w.body());
    assertThat(b.at("/messages/0/content/1/image/format").asText()).isEqualTo("png");
    assertThat(b.toString()).doesNotContain("detail");
    assertThat(w.warnings()).containsExactly("image detail is not supported by Bedrock Converse and was not sent");
    assertThat(written(ChatRequest.builder("a").message(Message.user(ContentPart.text("x"), ContentPart.image(png, "image/png"))).build()).warnings())
        .isEmpty();
  }

  @Test
  void systemAndAssistantPartsBecomeSeparateTextBlocks() throws IOException {
    JsonNode b = body(ChatRequest.builder("a")
        .message(Message.system(ContentPart.text("Be brief."), ContentPart.text(""), ContentPart.text("Answer in French.")))
        .user("hi")
        .message(AssistantMessage.ofParts(List.of(ContentPart.text("Bonjour."), ContentPart.text(" Ça va ?"))))
        .user("oui").build());
    assertThat(b.get("system")).hasSize(2);
    assertThat(b.at("/system/1/text").asText()).isEqualTo("Answer in French.");
    assertThat(b.at("/messages/1/content")).hasSize(2);
    assertThat(b.at("/messages/1/content/1/text").asText()).isEqualTo(" Ça va ?");
  }

  @Test
  void documentBytesBecomeADocumentBlockWithABedrockName() throws IOException {
    byte[] pdf = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);
    JsonNode b = body(ChatRequest.builder("a").message(Message.user(ContentPart.text("Summarise."),
        ContentPart.document(pdf, "application/pdf", "Q3  report_final.pdf"),
        new ContentPart.DocumentBytes("a,b\n1,2".getBytes(StandardCharsets.UTF_8), "text/csv"))).build());
    JsonNode doc = b.at("/messages/0/content/1/document");
    assertThat(doc.get("format").asText()).isEqualTo("pdf");
    assertThat(doc.get("name").asText()).isEqualTo("Q3 report-final-pdf");
    assertThat(Base64.getDecoder().decode(doc.at("/source/bytes").asText())).isEqualTo(pdf);
    JsonNode csv = b.at("/messages/0/content/2/document");
    assertThat(csv.get("format").asText()).isEqualTo("csv");
    assertThat(csv.get("name").asText()).isEqualTo("document-3");
  }

  @Test
  void documentNamesFollowBedrocksRule() {
    assertThat(DocumentNames.forBedrock(Optional.of("a\t\tb (1) [x].md"), 1)).isEqualTo("a b (1) [x]-md");
    assertThat(DocumentNames.forBedrock(Optional.of("  "), 4)).isEqualTo("document-4");
    assertThat(DocumentNames.forBedrock(Optional.of("x".repeat(300)), 1)).hasSize(200);
    assertThat(DocumentNames.forBedrock(Optional.of("日本.pdf"), 1)).isEqualTo("---pdf");
  }

  @Test
  void aDocumentByFileIdCannotBeSentToBedrock() {
    ChatRequest r = ChatRequest.builder("a").message(Message.user(ContentPart.text("x"), ContentPart.documentFile("file-abc"))).build();
    assertThatThrownBy(() -> writer.write(ProviderRequest.from(r))).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
      assertThat(e.detail()).contains("provider file id", "Files API");
    });
    assertThat(BedrockProvider.CAPABILITIES.documents()).isTrue();
    assertThat(BedrockProvider.CAPABILITIES.documentFileIds()).as("routing skips Bedrock for file ids").isFalse();
  }
}
