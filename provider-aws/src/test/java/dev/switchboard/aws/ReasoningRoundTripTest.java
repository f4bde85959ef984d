package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Message;
import dev.switchboard.Reasoning;
import dev.switchboard.ToolDefinition;
import dev.switchboard.aws.testing.Cassettes;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bedrock reasoning goes back unchanged: for every recorded pydantic-ai conversation whose second
 * Converse request replays a {@code reasoningContent} block, the first recorded response is read,
 * its assistant message is put in the conversation as an application would, and the assistant
 * turn Switchboard writes must equal the one the recording sent (text, signature, redacted
 * content, tool use), in a body valid against service-2.json. Reasoning of another wire is left
 * out with a warning.
 */
class ReasoningRoundTripTest extends BedrockTestBase {
  static final List<String> CASSETTES = List.of("test_bedrock_anthropic_tool_with_thinking.yaml",
      "test_bedrock_model_thinking_part_anthropic.yaml", "test_bedrock_model_thinking_part_anthropic_adaptive.yaml",
      "test_bedrock_model_thinking_part_anthropic_adaptive_effort.yaml", "test_bedrock_model_thinking_part_anthropic_legacy.yaml",
      "test_bedrock_model_thinking_part_redacted.yaml");

  static Stream<String> cassettes() {
    return CASSETTES.stream();
  }

  @Test
  void theListedCassettesAreExactlyThoseThatReplayReasoning() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path cassette : Cassettes.pydanticAi()) {
      for (Cassettes.Interaction it : Cassettes.read(cassette)) {
        if (it.requestBody() != null && it.requestBody().contains("\"reasoningContent\"")) {
          found.add(cassette.getFileName().toString());
          break;
        }
      }
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(CASSETTES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cassettes")
  void theRecordedReasoningIsSentBackUnchanged(String name) throws IOException {
    Path cassette = Fixtures.path("bedrock/pydantic-ai/" + name);
    List<Cassettes.Interaction> its = Cassettes.read(cassette);
    Cassettes.Interaction first = its.get(0);
    Cassettes.Interaction second = its.get(1);
    URI uri = URI.create(first.uri());
    String rawPath = uri.getRawPath();
    String model = URLDecoder.decode(rawPath.substring("/model/".length(), rawPath.lastIndexOf('/')), StandardCharsets.UTF_8);
    JsonNode firstRequest = ProviderTestKit.objectMapper().readTree(first.requestBody());
    JsonNode recorded = ProviderTestKit.objectMapper().readTree(second.requestBody());

    wm.stubFor(post(urlPathEqualTo(rawPath)).willReturn(json(first.responseBody())));
    ChatRequest.Builder b = ChatRequest.builder("alias");
    for (JsonNode s : firstRequest.path("system")) b.system(s.get("text").asText());
    for (JsonNode t : firstRequest.path("toolConfig").path("tools")) {
      JsonNode spec = t.get("toolSpec");
      b.tool(new ToolDefinition(spec.get("name").asText(), spec.path("description").asText(""),
          spec.get("inputSchema").get("json").toString(), false));
    }
    if (firstRequest.has("additionalModelRequestFields")) {
      b.providerOption("bedrock", "additionalModelRequestFields",
          ProviderTestKit.objectMapper().convertValue(firstRequest.get("additionalModelRequestFields"), Map.class));
    }
    List<Message> conversation = new ArrayList<>();
    conversation.add(Message.user(firstRequest.at("/messages/0/content/0/text").asText()));
    ChatResponse answer = chat(b.messages(conversation).build(), model);
    assertThat(answer.message().reasoning()).as("the first answer's reasoning").isNotEmpty()
        .allMatch(r -> r.wire() == Reasoning.Wire.CONVERSE);

    // The application continues the conversation with the answer as it came.
    conversation.add(answer.message());
    JsonNode next = recorded.get("messages").get(2).get("content").get(0);
    if (next.has("toolResult")) {
      conversation.add(Message.toolResult(next.get("toolResult").get("toolUseId").asText(),
          next.get("toolResult").at("/content/0/text").asText()));
    } else {
      conversation.add(Message.user(next.get("text").asText()));
    }
    wm.resetAll();
    wm.stubFor(post(urlPathEqualTo(rawPath)).willReturn(json(second.responseBody())));
    ChatResponse secondAnswer = chat(b.messages(conversation).build(), model);
    assertThat(secondAnswer.warnings()).noneMatch(w -> w.contains("reasoning"));

    JsonNode sent = ProviderTestKit.objectMapper().readTree(requests().get(0).getBody());
    JsonNode recordedTurn = recorded.get("messages").get(1);
    JsonNode sentTurn = sent.get("messages").get(1);
    assertThat(sentTurn.get("role")).isEqualTo(recordedTurn.get("role"));
    assertThat(blocks(sentTurn, false)).as("the assistant turn's reasoning and tool use blocks, in order, as the recording sent them")
        .isEqualTo(blocks(recordedTurn, false)).isNotEmpty();
    // Text is compared with the first answer's: one recording sent back an em dash its response spelled "--".
    JsonNode answered = ProviderTestKit.objectMapper().valueToTree(first.responseBody()).at("/output/message/content");
    assertThat(blocks(sentTurn, true)).isEqualTo(blocks(ProviderTestKit.objectMapper().createObjectNode().set("content", answered), true));
    assertThat(sentTurn.get("content").get(0).has("reasoningContent")).as("reasoning comes first").isTrue();
    assertThat(sent.get("messages")).hasSize(3);
    assertEveryRequestSignedAndWellFormed();
  }

  @Test
  void aStreamedAnswersReasoningIsSentBackAsTheBlocksTheStreamCarried() throws IOException {
    // Vercel's recorded stream: reasoning text in 11 deltas, then its signature.
    List<String> lines = Files.readAllLines(Fixtures.path("bedrock/vercel-ai/amazon-bedrock-reasoning.chunks.txt"));
    StringBuilder text = new StringBuilder();
    String signature = null;
    for (String line : lines) {
      JsonNode r = ProviderTestKit.objectMapper().readTree(line).path("contentBlockDelta").path("delta").path("reasoningContent");
      if (r.has("text")) text.append(r.get("text").asText());
      if (r.has("signature")) signature = r.get("signature").asText();
    }
    wm.stubFor(post(urlPathEqualTo("/model/" + ModelUrls.encode(MODEL) + "/converse-stream")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(frames(lines))));
    RecordingListener l = stream(hello());
    dev.switchboard.spi.ResponseMetadata meta = l.awaitComplete();
    assertThat(l.events).filteredOn(e -> e instanceof dev.switchboard.ChatEvent.ReasoningDelta).isNotEmpty();
    StreamCollector acc = new StreamCollector();
    l.events.forEach(acc::accept);
    AssistantMessage message = acc.response(target(MODEL), meta).message();
    assertThat(message.reasoning()).containsExactly(
        Reasoning.builder(Reasoning.Wire.CONVERSE).text(text.toString()).signature(signature).build());

    wm.resetAll();
    wm.stubFor(post(urlPathEqualTo("/model/" + ModelUrls.encode(MODEL) + "/converse")).willReturn(json(Map.of(
        "output", Map.of("message", Map.of("role", "assistant", "content", List.of(Map.of("text", "ok")))), "stopReason", "end_turn",
        "usage", Map.of("inputTokens", 1, "outputTokens", 1, "totalTokens", 2)))));
    chat(ChatRequest.builder("alias").user("How many r's?").message(message).user("Sure?").build());
    JsonNode block = ProviderTestKit.objectMapper().readTree(requests().get(0).getBody()).at("/messages/1/content/0/reasoningContent/reasoningText");
    assertThat(block.get("text").asText()).isEqualTo(text.toString());
    assertThat(block.get("signature").asText()).isEqualTo(signature);
  }

  @Test
  void reasoningOfAnotherWireIsLeftOutWithAWarning() throws IOException {
    wm.stubFor(post(urlPathEqualTo("/model/" + ModelUrls.encode(MODEL) + "/converse")).willReturn(json(Map.of(
        "output", Map.of("message", Map.of("role", "assistant", "content", List.of(Map.of("text", "ok")))), "stopReason", "end_turn",
        "usage", Map.of("inputTokens", 1, "outputTokens", 1, "totalTokens", 2)))));
    AssistantMessage fromAzure = AssistantMessage.of("Paris.").withReasoning(List.of(
        Reasoning.builder(Reasoning.Wire.RESPONSES).id("rs_1").summary("Capital of France.").encryptedContent("gAAAAABenc").build(),
        Reasoning.text(Reasoning.Wire.CHAT_COMPLETIONS, "hmm")));
    ChatResponse r = chat(ChatRequest.builder("alias").user("Capital?").message(fromAzure).user("And Spain?").build());
    assertThat(r.warnings()).containsExactly("2 reasoning block(s) from another API (Chat Completions or Responses) were not sent:"
        + " Bedrock Converse accepts only its own reasoning back");
    JsonNode assistant = ProviderTestKit.objectMapper().readTree(requests().get(0).getBody()).at("/messages/1/content");
    assertThat(assistant.toString()).isEqualTo("[{\"text\":\"Paris.\"}]");
  }

  /** The turn's text blocks, or its other blocks, in order. */
  private static List<JsonNode> blocks(JsonNode turn, boolean text) {
    List<JsonNode> out = new ArrayList<>();
    turn.get("content").forEach(b -> {
      if (b.has("text") == text) out.add(b);
    });
    return out;
  }

  /** Vercel's decoded chunk lines re-framed, one event per line, as {@code RecordedStreams} does. */
  private static byte[] frames(List<String> lines) throws IOException {
    dev.switchboard.aws.testing.Frames frames = dev.switchboard.aws.testing.Frames.create();
    for (String line : lines) {
      if (line.isBlank()) continue;
      Map.Entry<String, JsonNode> only = ProviderTestKit.objectMapper().readTree(line).properties().iterator().next();
      frames.event(only.getKey(), only.getValue().toString());
    }
    return frames.bytes();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(Object body) throws IOException {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(ProviderTestKit.objectMapper().writeValueAsString(body));
  }
}
