package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.aws.testing.Cassettes;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every pydantic-ai Bedrock cassette: each recorded Converse / ConverseStream response is
 * served from WireMock at the recorded path, the provider is called with the model id the path
 * names, and the result is compared with what the recording holds, read independently here
 * (text, tool calls with ids and input, finish reason from stopReason, usage with cache tokens,
 * latency, reasoning, the recorded errors). The request must arrive at exactly the recorded path
 * (the model id encoded as boto encodes it) and is signature- and shape-checked by the base class.
 * CountTokens interactions and non-Bedrock downloads are outside this provider and are counted as
 * skipped.
 */
class CassetteReplayTest extends BedrockTestBase {
  static Stream<Path> cassettes() {
    return Cassettes.pydanticAi().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cassettes")
  void replay(Path cassette) throws IOException {
    int replayed = 0;
    for (Cassettes.Interaction it : Cassettes.read(cassette)) {
      URI uri = URI.create(it.uri().replace(" ", "%20"));
      String rawPath = uri.getRawPath();
      if (!uri.getHost().startsWith("bedrock-runtime.") || rawPath.endsWith("/count-tokens")) continue;
      String encodedModel = rawPath.substring("/model/".length(), rawPath.lastIndexOf('/'));
      String model = URLDecoder.decode(encodedModel, StandardCharsets.UTF_8);
      boolean stream = rawPath.endsWith("/converse-stream");
      wm.resetAll();
      wm.stubFor(post(urlPathEqualTo(rawPath)).willReturn(response(it, stream)));
      if (it.status() != 200) {
        SwitchboardException e = stream ? stream(hello(), model).awaitError() : chatError(hello(), model);
        String message = ((java.util.Map<?, ?>) it.responseBody()).get("message").toString();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.httpStatus()).hasValue(it.status());
        assertThat(e.detail()).contains(message);
      } else if (stream) {
        RecordingListener l = stream(hello(), model);
        l.awaitComplete();
        StreamCollector acc = new StreamCollector();
        l.events.forEach(acc::accept);
        assertThat(acc.partial().text()).isNotNull();
        assertThat(l.events).anyMatch(e -> e instanceof dev.switchboard.ChatEvent.Finish);
      } else {
        JsonNode recorded = ProviderTestKit.objectMapper().valueToTree(it.responseBody());
        assertConverseMapping(recorded, chat(hello(), model));
      }
      assertThat(requests()).hasSize(1);
      assertThat(requests().get(0).getUrl()).as("the model id is encoded as the recording's client encoded it").isEqualTo(rawPath);
      assertEveryRequestSignedAndWellFormed();
      replayed++;
    }
    assertThat(replayed + skippedOnly(cassette)).as("every interaction of %s replayed or knowingly skipped", cassette.getFileName())
        .isEqualTo(Cassettes.read(cassette).size());
  }

  private static int skippedOnly(Path cassette) {
    int n = 0;
    for (Cassettes.Interaction it : Cassettes.read(cassette)) {
      URI uri = URI.create(it.uri().replace(" ", "%20"));
      if (!uri.getHost().startsWith("bedrock-runtime.") || uri.getRawPath().endsWith("/count-tokens")) n++;
    }
    return n;
  }

  private static ResponseDefinitionBuilder response(Cassettes.Interaction it, boolean stream) throws IOException {
    ResponseDefinitionBuilder r = aResponse().withStatus(it.status());
    Object body = it.responseBody();
    if (body instanceof byte[] bytes) {
      return r.withHeader("Content-Type", stream ? BedrockProvider.EVENT_STREAM : "application/octet-stream").withBody(bytes);
    }
    String json = ProviderTestKit.objectMapper().writeValueAsString(body);
    return r.withHeader("Content-Type", "application/json").withBody(json);
  }

  /** The recorded Converse response, read independently, against the provider's mapping. */
  static void assertConverseMapping(JsonNode recorded, ChatResponse r) {
    StringBuilder text = new StringBuilder();
    List<dev.switchboard.Reasoning> reasoning = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : recorded.path("output").path("message").path("content")) {
      if (block.has("text")) text.append(block.get("text").asText());
      if (block.has("toolUse") && !"server_tool_use".equals(block.get("toolUse").path("type").asText())) {
        JsonNode u = block.get("toolUse");
        calls.add(new ToolCall(u.get("toolUseId").asText(), u.get("name").asText(), u.get("input").toString()));
      }
      JsonNode rc = block.path("reasoningContent");
      if (rc.has("reasoningText")) {
        JsonNode t = rc.get("reasoningText");
        reasoning.add(dev.switchboard.Reasoning.builder(dev.switchboard.Reasoning.Wire.CONVERSE).text(t.path("text").asText())
            .signature(t.hasNonNull("signature") ? t.get("signature").asText() : null).build());
      } else if (rc.has("redactedContent")) {
        reasoning.add(dev.switchboard.Reasoning.builder(dev.switchboard.Reasoning.Wire.CONVERSE)
            .encryptedContent(rc.get("redactedContent").asText()).build());
      }
    }
    assertThat(r.text()).isEqualTo(text.toString());
    assertThat(r.toolCalls()).isEqualTo(calls);
    String stop = recorded.get("stopReason").asText();
    FinishReason expected = switch (stop) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "tool_use" -> calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      case "max_tokens" -> FinishReason.LENGTH;
      case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
    assertThat(r.finishReason()).as("stopReason %s", stop).isEqualTo(expected);
    assertThat(r.metadata(BedrockMetadata.STOP_REASON, String.class)).contains(stop);
    assertThat(r.rawFinishReason()).contains(stop);
    JsonNode usage = recorded.path("usage");
    assertThat(r.usage().inputTokens()).isEqualTo(usage.path("inputTokens").asInt());
    assertThat(r.usage().outputTokens()).isEqualTo(usage.path("outputTokens").asInt());
    if (usage.has("cacheReadInputTokens")) assertThat(r.usage().cachedInputTokens()).hasValue(usage.get("cacheReadInputTokens").asInt());
    else assertThat(r.usage().cachedInputTokens()).isEmpty();
    if (usage.has("cacheWriteInputTokens")) {
      assertThat(r.usage().cacheWriteInputTokens()).hasValue(usage.get("cacheWriteInputTokens").asInt());
    }
    if (recorded.path("metrics").has("latencyMs")) {
      assertThat(r.metadata(BedrockMetadata.LATENCY_MS, Long.class)).contains(recorded.get("metrics").get("latencyMs").asLong());
    }
    assertThat(r.message().reasoning()).as("reasoning blocks, unchanged").isEqualTo(reasoning);
  }

  /** The shape validator accepts what real clients sent to Bedrock (and so is not too strict to be useful). */
  @Test
  void recordedRequestBodiesAreValidConverseRequests() throws IOException {
    int checked = 0;
    List<String> unparseable = new ArrayList<>();
    for (Path cassette : Cassettes.pydanticAi()) {
      for (Cassettes.Interaction it : Cassettes.read(cassette)) {
        String body = it.requestBody();
        if (body == null || !it.uri().contains("bedrock-runtime.")) continue;
        String shape = it.uri().endsWith("/converse") ? "ConverseRequest"
            : it.uri().endsWith("/converse-stream") ? "ConverseStreamRequest" : null;
        if (shape == null) continue;
        JsonNode parsed;
        try {
          parsed = ProviderTestKit.objectMapper().readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException cut) {
          // test_bedrock_model_other_parameters.yaml stores its request body without the closing brace.
          unparseable.add(cassette.getFileName().toString());
          continue;
        }
        List<String> errors = ShapeValidator.bedrockRuntime().validate(shape, parsed);
        if (cassette.getFileName().toString().equals("test_video_url_input.yaml")) {
          // A real finding: pydantic-ai sent a media type where the model's VideoFormat enum wants "mp4".
          assertThat(errors).singleElement().asString().contains("video.format: 'video/mp4' is not one of");
        } else {
          assertThat(errors).as("%s %s", cassette.getFileName(), shape).isEmpty();
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(80);
    assertThat(unparseable).containsExactly("test_bedrock_model_other_parameters.yaml");
  }

  @Test
  void shapeValidatorRejectsUnknownMissingAndBadEnumValues() throws IOException {
    Fixtures.root(); // the validator itself is under test: skip (fail on CI) without its model
    ShapeValidator v = ShapeValidator.bedrockRuntime();
    assertThat(v.validate("ConverseRequest", ProviderTestKit.objectMapper().readTree("{\"messages\":[{\"role\":\"robot\",\"content\":[{\"text\":\"x\"}]}]}")))
        .singleElement().asString().contains("robot");
    assertThat(v.validate("ConverseRequest", ProviderTestKit.objectMapper().readTree("{\"messages\":[{\"content\":[{\"text\":\"x\"}]}],\"extra\":1}")))
        .anyMatch(s -> s.contains("missing required member role")).anyMatch(s -> s.contains("extra: unknown member"));
    assertThat(v.validate("ConverseRequest", ProviderTestKit.objectMapper().readTree("{\"modelId\":\"m\",\"messages\":[]}")))
        .anyMatch(s -> s.contains("belongs in the uri"));
    assertThat(v.validate("ConverseRequest", ProviderTestKit.objectMapper().readTree(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\",\"image\":{\"format\":\"bmp\",\"source\":{\"bytes\":\"AA==\"}}}]}],"
            + "\"inferenceConfig\":{\"temperature\":1.5}}")))
        .anyMatch(s -> s.contains("union ContentBlock")).anyMatch(s -> s.contains("bmp")).anyMatch(s -> s.contains("above max"));
  }
}
