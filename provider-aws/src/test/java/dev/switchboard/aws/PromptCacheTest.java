package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.aws.testing.Cassettes;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prompt caching on Converse, against pydantic-ai's recorded cache traffic: each recorded request
 * that holds {@code cachePoint} blocks (in {@code system}, in a user turn between parts, after the
 * last part, after {@code toolConfig.tools}) is rebuilt with the typed API alone
 * ({@link ContentPart#cachePoint()}, {@link ChatRequest.Builder#cachePoint()},
 * {@link ChatRequest.Builder#cachePointAfterTools()}), sent to a loopback server that answers with
 * the recorded response, and the body that arrived must equal the recorded one; the usage must
 * hold the recorded cache read and write counts.
 */
class PromptCacheTest extends BedrockTestBase {
  private static final List<String> CASSETTES = List.of(
      "test_bedrock_cache_write_and_read.yaml",
      "test_bedrock_cache_point_adds_cache_control[claude-sonnet-4-5].yaml",
      "test_bedrock_cache_point_adds_cache_control[nova-lite].yaml",
      "test_bedrock_cache_usage_includes_cache_tokens.yaml",
      "test_bedrock_cache_messages_with_document_as_last_content.yaml");

  static Stream<String> cassettes() {
    return CASSETTES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cassettes")
  void recordedCacheRequestsAreSentAsRecordedAndReadBack(String name) throws IOException {
    int replayed = 0;
    for (Cassettes.Interaction it : Cassettes.read(Fixtures.path("bedrock/pydantic-ai/" + name))) {
      if (!it.uri().endsWith("/converse") || it.requestBody() == null) continue;
      JsonNode recorded = ProviderTestKit.objectMapper().readTree(it.requestBody());
      String rawPath = URI.create(it.uri()).getRawPath();
      String model = URLDecoder.decode(rawPath.substring("/model/".length(), rawPath.lastIndexOf('/')), StandardCharsets.UTF_8);
      wm.resetAll();
      wm.stubFor(post(urlPathEqualTo(rawPath)).willReturn(aResponse().withStatus(it.status())
          .withHeader("Content-Type", "application/json").withBody(ProviderTestKit.objectMapper().writeValueAsString(it.responseBody()))));

      ChatResponse r = chat(typed(recorded), model);

      JsonNode sent = ProviderTestKit.objectMapper().readTree(requests().get(0).getBody());
      assertThat(sent).as("%s: the body sent", name).isEqualTo(withoutEmptyInferenceConfig(recorded));
      assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", sent)).isEmpty();
      JsonNode usage = ProviderTestKit.objectMapper().valueToTree(it.responseBody()).get("usage");
      assertThat(r.usage().cachedInputTokens()).hasValue(usage.get("cacheReadInputTokens").asInt());
      assertThat(r.usage().cacheWriteInputTokens()).hasValue(usage.get("cacheWriteInputTokens").asInt());
      assertThat(r.warnings()).isEmpty();
      replayed++;
    }
    assertThat(replayed).as("converse interactions with cache points in %s", name).isPositive();
  }

  @Test
  void streamedMetadataCarriesCacheReadAndWriteTokens() {
    wm.stubFor(post(urlPathMatching("/model/.*/converse-stream")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(Frames.create()
            .event("messageStart", "{\"role\":\"assistant\"}")
            .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"21\"}}")
            .event("contentBlockStop", "{\"contentBlockIndex\":0}")
            .event("messageStop", "{\"stopReason\":\"end_turn\"}")
            // The usage object of test_bedrock_cache_write_and_read.yaml's second answer.
            .event("metadata", "{\"usage\":{\"cacheReadInputTokenCount\":1322,\"cacheReadInputTokens\":1322,"
                + "\"cacheWriteInputTokenCount\":0,\"cacheWriteInputTokens\":0,\"inputTokens\":2,\"outputTokens\":5,"
                + "\"serverToolUsage\":{},\"totalTokens\":1329},\"metrics\":{\"latencyMs\":1990}}")
            .bytes())));
    RecordingListener l = stream(ChatRequest.builder("a").system("Answer with a number.").cachePoint().user("10 + 11?").build());
    l.awaitComplete();
    List<ChatEvent.UsageUpdate> usage = l.events.stream()
        .filter(ChatEvent.UsageUpdate.class::isInstance).map(ChatEvent.UsageUpdate.class::cast).toList();
    assertThat(usage).singleElement().satisfies(u -> {
      assertThat(u.usage().cachedInputTokens()).hasValue(1322);
      assertThat(u.usage().cacheWriteInputTokens()).hasValue(0);
    });
    assertThat(requests().get(0).getBodyAsString()).contains("\"system\":[{\"text\":\"Answer with a number.\"},{\"cachePoint\":{\"type\":\"default\"}}]");
  }

  @Test
  void aCachePointAtTheStartOfAMessageEndsTheContentBeforeIt() throws IOException {
    ChatRequest r = ChatRequest.builder("a")
        .system("Rules.")
        .message(Message.user(ContentPart.cachePoint(), ContentPart.text("first")))
        .message(AssistantMessage.of("ok"))
        .message(Message.user(ContentPart.cachePoint(), ContentPart.text("second"), ContentPart.cachePoint()))
        .cachePoint() // already ends with one: not doubled
        .build();
    JsonNode b = written(r);
    assertThat(b.get("system").toString()).isEqualTo("[{\"text\":\"Rules.\"},{\"cachePoint\":{\"type\":\"default\"}}]");
    assertThat(b.at("/messages/0/content").toString()).isEqualTo("[{\"text\":\"first\"}]");
    assertThat(b.at("/messages/1/content").toString()).isEqualTo("[{\"text\":\"ok\"},{\"cachePoint\":{\"type\":\"default\"}}]");
    assertThat(b.at("/messages/2/content").toString())
        .isEqualTo("[{\"text\":\"second\"},{\"cachePoint\":{\"type\":\"default\"}}]");
  }

  @Test
  void cachePointsAfterAssistantAndToolResultTurns() throws IOException {
    ChatRequest r = ChatRequest.builder("a")
        .tool(ToolDefinition.of("lookup", "Looks up."))
        .cachePointAfterTools()
        .user("find x")
        .message(AssistantMessage.of("", List.of(new dev.switchboard.ToolCall("call_1", "lookup", "{}"))))
        .cachePoint()
        .message(Message.toolResult("call_1", "x=1"))
        .cachePoint()
        .build();
    JsonNode b = written(r);
    assertThat(b.at("/toolConfig/tools/1").toString()).isEqualTo("{\"cachePoint\":{\"type\":\"default\"}}");
    assertThat(b.at("/messages/1/content/1/cachePoint/type").asText()).isEqualTo("default");
    assertThat(b.at("/messages/2/content/0/toolResult/toolUseId").asText()).isEqualTo("call_1");
    assertThat(b.at("/messages/2/content/1/cachePoint/type").asText()).isEqualTo("default");
  }

  @Test
  void theTypedApiRefusesCachePointsWithNothingToMark() {
    assertThatThrownBy(() -> ChatRequest.builder("a").cachePoint()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no message was added yet");
    assertThatThrownBy(() -> ChatRequest.builder("a").user("x").cachePointAfterTools().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declares no tools");
    assertThatThrownBy(() -> Message.user(ContentPart.cachePoint())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only cache points");
  }

  private JsonNode written(ChatRequest r) throws IOException {
    byte[] body = new ConverseRequestWriter(ProviderTestKit.objectMapper(), new dev.switchboard.http.ErrorContext("bedrock", "d")).write(ProviderRequest.from(r)).body();
    JsonNode node = ProviderTestKit.objectMapper().readTree(body);
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", node)).as("%s", node).isEmpty();
    return node;
  }

  private static JsonNode withoutEmptyInferenceConfig(JsonNode recorded) {
    ObjectNode copy = recorded.deepCopy();
    if (copy.path("inferenceConfig").isEmpty()) copy.remove("inferenceConfig"); // pydantic-ai sends {}; nothing to say
    return copy;
  }

  /**
   * The typed request for a recorded Converse body, written from the wire shape: a run of system
   * text blocks is one system message, and a cachePoint after it {@code cachePoint()}; user content
   * maps part by part; tools with a trailing cachePoint {@code cachePointAfterTools()}.
   */
  private static ChatRequest typed(JsonNode body) {
    ChatRequest.Builder b = ChatRequest.builder("alias");
    List<ContentPart.Text> system = new ArrayList<>();
    for (JsonNode block : body.path("system")) {
      if (block.has("text")) {
        system.add(ContentPart.text(block.get("text").asText()));
      } else {
        assertThat(block.has("cachePoint")).as("system block %s", block).isTrue();
        b.message(new dev.switchboard.SystemMessage(system)).cachePoint();
        system.clear();
      }
    }
    if (!system.isEmpty()) b.message(new dev.switchboard.SystemMessage(system));
    for (JsonNode m : body.path("messages")) {
      List<ContentPart> parts = new ArrayList<>();
      for (JsonNode block : m.path("content")) {
        if (block.has("text")) parts.add(ContentPart.text(block.get("text").asText()));
        else if (block.has("cachePoint")) parts.add(ContentPart.cachePoint());
        else if (block.has("document")) parts.add(document(block.get("document")));
        else throw new AssertionError("block not covered here: " + block.fieldNames().next());
      }
      if (m.path("role").asText().equals("user")) {
        b.message(new dev.switchboard.UserMessage(parts));
      } else {
        b.message(AssistantMessage.ofParts(parts.stream().map(ContentPart.Text.class::cast).toList()));
      }
    }
    for (JsonNode t : body.path("toolConfig").path("tools")) {
      if (t.has("cachePoint")) {
        b.cachePointAfterTools();
        continue;
      }
      JsonNode spec = t.get("toolSpec");
      b.tool(new ToolDefinition(spec.get("name").asText(), spec.path("description").asText(""),
          spec.at("/inputSchema/json").toString(), spec.path("strict").asBoolean(false)));
    }
    if (body.at("/toolConfig/toolChoice").has("auto")) b.toolChoice(ToolChoice.auto());
    return b.build();
  }

  private static ContentPart document(JsonNode d) {
    Map<String, String> mediaTypes = Map.of("txt", "text/plain", "pdf", "application/pdf", "md", "text/markdown");
    return ContentPart.document(Base64.getDecoder().decode(d.at("/source/bytes").asText()),
        mediaTypes.get(d.get("format").asText()), d.get("name").asText());
  }
}
