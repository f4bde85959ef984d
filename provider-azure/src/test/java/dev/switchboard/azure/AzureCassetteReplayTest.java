package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.openai.testkit.RecordedChat.chunks;
import static dev.switchboard.openai.testkit.RecordedChat.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.openai.testkit.RecordedChat;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import dev.switchboard.testkit.conformance.RecordingListener;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded Azure OpenAI exchange in {@code ../shared/fixtures/azure-openai} — the
 * pydantic-ai cassette on the classic deployment URL, the Mirascope cassettes on the v1 URL
 * (streams with the empty-choices prompt-filter chunk, tool calls, structured output, the
 * content-filter 400s and other errors) and the Vercel AI SDK chunk files (one with
 * content_filter_offsets) — through WireMock and the real provider. Text, tool calls, finish
 * reason, usage, model, id, prompt and completion filter verdicts, request id, region and
 * deployment headers must equal what the recording holds, read independently with plain Jackson
 * trees. The request replayed is the recorded one translated into a {@link ChatRequest}; the stub
 * matches only the recorded path and api-version with the {@code api-key} header, and every body
 * sent is schema-checked and compared with the recorded one.
 */
class AzureCassetteReplayTest extends AzureTestBase {
  /** Interactions in the Azure cassettes that are not Azure calls, and why they are not replayed. */
  static final Map<String, String> SKIPPED = Map.of(
      "/v1beta/models/gemini-2.5-flash:generateContent", "a Gemini call recorded in the same Mirascope resume test");

  /** One recorded exchange. {@code request} is null when only the response was recorded (chunk files). */
  record Case(String name, JsonNode request, String path, Optional<String> apiVersion, int status,
      Map<String, List<String>> headers, byte[] body, boolean stream) {}

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String dir : List.of("azure-openai/pydantic-ai", "azure-openai/mirascope")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        Cassette cassette = Cassette.load(file);
        for (Interaction i : cassette.interactions()) {
          if (!isAzure(i)) continue;
          JsonNode request = i.request().json().orElseThrow();
          Optional<String> apiVersion = query(i.request().uri(), "api-version");
          cases.add(new Case(cassette.name() + " #" + i.index(), request, i.request().path(), apiVersion,
              i.response().status(), i.response().headers(), i.response().decodedBody(), request.path("stream").asBoolean(false)));
        }
      }
    }
    for (String file : List.of("azure-openai/vercel-ai/azure-model-router.1.chunks.txt",
        "azure-openai/vercel-ai/openai-compatible-azure-text.chunks.txt")) {
      // Decoded payloads, one per line: the SSE framing and [DONE] are restored.
      StringBuilder sse = new StringBuilder();
      for (String line : Fixtures.text(file).split("\n")) {
        if (!line.isBlank()) sse.append("data: ").append(line).append("\n\n");
      }
      sse.append("data: [DONE]\n\n");
      cases.add(new Case(file, null, "/openai/v1/chat/completions", Optional.empty(), 200,
          Map.of("content-type", List.of("text/event-stream")), sse.toString().getBytes(StandardCharsets.UTF_8), true));
    }
    return cases;
  }

  private static boolean isAzure(Interaction i) {
    return i.request().path().startsWith("/openai/");
  }

  @TestFactory
  Stream<DynamicTest> replayEveryAzureRecording() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      server.resetAll();
      try {
        replay(c);
      } catch (AssertionError e) {
        throw new AssertionError(c.name() + ": " + e.getMessage(), e);
      }
    }));
  }

  @Test
  void everyOtherRecordedInteractionHasAListedReason() {
    int azure = 0;
    for (String dir : List.of("azure-openai/pydantic-ai", "azure-openai/mirascope")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        for (Interaction i : Cassette.load(file).interactions()) {
          if (isAzure(i)) azure++;
          else assertThat(SKIPPED).as("reason to skip %s %s", file.getFileName(), i).containsKey(i.request().path());
        }
      }
    }
    assertThat(azure).as("recorded Azure chat completions calls").isEqualTo(44);
    assertThat(cases()).filteredOn(c -> c.request() != null).hasSize(azure);
    assertThat(cases()).filteredOn(c -> c.path().contains("/deployments/")).hasSize(1);
    assertThat(cases()).filteredOn(Case::stream).hasSize(9);
    assertThat(cases()).filteredOn(c -> c.status() >= 400).hasSize(6);
  }

  private void replay(Case c) throws IOException {
    boolean classic = c.path().contains("/deployments/");
    String azureDeployment = classic ? c.path().split("/")[3]
        : c.request() == null ? "gpt-5-mini" : c.request().get("model").asText();
    MappingBuilder route = post(urlPathEqualTo(c.path())).withHeader("api-key", equalTo(KEY))
        .withQueryParam("api-version", c.apiVersion().isPresent() ? equalTo(c.apiVersion().get()) : absent());
    server.stubFor(route.willReturn(recordedResponse(c)));

    AzureOpenAi.DeploymentBuilder d = deployment().apiKey(KEY).urlStyle(classic ? UrlStyle.DEPLOYMENT : UrlStyle.V1);
    c.apiVersion().ifPresent(d::apiVersion);
    if (c.request() != null && c.request().has("max_tokens")) d.maxTokensField(AzureOpenAi.TokenLimitField.MAX_TOKENS);
    ChatProvider provider = provider(d.build());
    ChatRequest request = c.request() == null ? ChatRequest.of("alias", "Hello") : RecordedChat.toRequest(c.request(), AzureOpenAiProviderFactory.TYPE);

    if (c.status() >= 400) {
      assertRecordedError(c, c.stream() ? streamError(provider, request, azureDeployment) : chatError(provider, request, azureDeployment));
    } else if (c.stream()) {
      RecordingListener l = stream(provider, request, azureDeployment);
      ResponseMetadata meta = l.await(BOUND);
      assertThat(l.events).noneMatch(e -> e instanceof ChatEvent.TextDelta t && t.text().isEmpty());
      assertThat(l.events).last().isInstanceOf(ChatEvent.Finish.class);
      assertThat(l.events).filteredOn(ChatEvent.Finish.class::isInstance).hasSize(1);
      StreamCollector acc = new StreamCollector();
      l.events.forEach(acc::accept);
      ChatResponse r = acc.response(call(request, azureDeployment).target(), meta);
      List<JsonNode> chunks = chunks(c.body());
      assertAnswer(c, r, RecordedChat.fromChunks(chunks), RecordedFilters.prompts(chunks), RecordedFilters.completionOfChunks(chunks));
    } else {
      ChatResponse r = chat(provider, request, azureDeployment);
      JsonNode body = tree(c.body());
      assertAnswer(c, r, RecordedChat.fromResponse(body), RecordedFilters.prompts(List.of(body)), RecordedFilters.completion(body));
      header(c, "x-ratelimit-remaining-requests").ifPresent(v ->
          assertThat(r.rateLimit().orElseThrow().remainingRequests()).hasValue(Long.parseLong(v)));
      header(c, "x-ratelimit-remaining-tokens").ifPresent(v ->
          assertThat(r.rateLimit().orElseThrow().remainingTokens()).hasValue(Long.parseLong(v)));
    }
    if (c.request() != null) assertSentBodyMatchesRecording(c.request());
    for (var r : requests()) {
      assertThat(OpenAiRequestSchema.chatProblems(r.getBodyAsString())).as("schema problems of the body sent").isEmpty();
    }
  }

  private static ResponseDefinitionBuilder recordedResponse(Case c) {
    ResponseDefinitionBuilder response = aResponse().withStatus(c.status()).withBody(c.body());
    c.headers().forEach((name, values) -> {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("content-type") || n.startsWith("x-ratelimit") || n.equals("x-request-id") || n.equals("apim-request-id")
          || n.startsWith("x-ms-") || n.startsWith("retry-after")) {
        response.withHeader(name, values.toArray(String[]::new));
      }
    });
    if (header(c, "content-type").isEmpty()) response.withHeader("Content-Type", c.stream() ? "text/event-stream" : "application/json");
    return response;
  }

  private static void assertAnswer(Case c, ChatResponse r, RecordedChat.Answer expected,
      Map<String, RecordedFilters.Verdict> promptFilters, Map<String, RecordedFilters.Verdict> completionFilters) {
    assertThat(r.text()).isEqualTo(expected.text());
    assertThat(r.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(r.finishReason()).isEqualTo(expected.finishReason());
    assertThat(r.rawFinishReason()).isEqualTo(expected.rawFinishReason());
    assertThat(r.usage()).isEqualTo(expected.usage().orElse(Usage.EMPTY));
    assertThat(r.model()).isEqualTo(expected.model());
    assertThat(r.id()).contains(expected.id());
    // Filter verdicts: present exactly when the recording has them, and equal to them.
    assertThat(AzureMetadata.promptFilterResults(r).map(RecordedFilters::verdictsOf).orElse(Map.of()))
        .isEqualTo(promptFilters);
    assertThat(AzureMetadata.contentFilterResults(r).map(RecordedFilters::verdictsOf).orElse(Map.of()))
        .isEqualTo(completionFilters);
    if (!promptFilters.isEmpty()) assertThat(AzureMetadata.promptFilterResults(r)).isPresent();
    assertThat(r.requestId()).isEqualTo(header(c, "apim-request-id").or(() -> header(c, "x-request-id")));
    Optional<AzureResponseInfo> info = AzureMetadata.responseInfo(r);
    assertThat(info.flatMap(AzureResponseInfo::region)).isEqualTo(header(c, "x-ms-region"));
    assertThat(info.flatMap(AzureResponseInfo::deploymentName)).isEqualTo(header(c, "x-ms-deployment-name"));
    assertThat(info.flatMap(AzureResponseInfo::requestId)).isEqualTo(header(c, "x-request-id"));
  }

  private static void assertRecordedError(Case c, SwitchboardException e) {
    JsonNode body = tree(c.body());
    String code = body.at("/error/code").asText("");
    ErrorKind expected = switch (code) {
      case "content_filter" -> ErrorKind.CONTENT_FILTERED;
      case "unknown_model" -> ErrorKind.NOT_FOUND;
      default -> ErrorKind.INVALID_REQUEST;
    };
    assertThat(c.status()).isEqualTo(400);
    assertThat(e.kind()).isEqualTo(expected);
    assertThat(e.httpStatus()).hasValue(400);
    assertThat(e.providerCode()).contains(code);
    // What Azure sent, through provider-neutral accessors.
    JsonNode inner = body.at("/error/innererror/code");
    assertThat(e.providerInnerCode()).isEqualTo(inner.isTextual() ? Optional.of(inner.asText()) : Optional.empty());
    JsonNode type = body.at("/error/type");
    assertThat(e.providerType()).isEqualTo(type.isTextual() ? Optional.of(type.asText()) : Optional.empty());
    String message = body.at("/error/message").asText();
    assertThat(e.providerMessage().orElseThrow()).startsWith(message.substring(0, Math.min(40, message.length())));
    assertThat(e.provider()).contains("azure-openai");
    assertThat(e.requestId()).isEqualTo(header(c, "apim-request-id"));
    assertThat(e.getMessage()).doesNotContain(KEY);
    AzureOpenAiException azure = AzureOpenAiException.find(e).orElseThrow();
    assertThat(azure.region()).isEqualTo(header(c, "x-ms-region"));
    assertThat(azure.deploymentName()).isEqualTo(header(c, "x-ms-deployment-name"));
    if (expected == ErrorKind.CONTENT_FILTERED) {
      Map<String, RecordedFilters.Verdict> verdicts = RecordedFilters.errorVerdicts(body);
      List<String> filtered = verdicts.entrySet().stream().filter(v -> v.getValue().filtered()).map(Map.Entry::getKey).toList();
      assertThat(filtered).containsExactly("self_harm");
      assertThat(azure.filteredCategories()).containsExactlyElementsOf(filtered);
      assertThat(RecordedFilters.verdictsOf(azure.contentFilterResults().orElseThrow())).isEqualTo(verdicts);
      assertThat(e.getMessage()).contains("self_harm (severity medium)");
      assertThat(e.providerInnerCode()).contains("ResponsibleAIPolicyViolation");
    }
  }

  private void assertSentBodyMatchesRecording(JsonNode recorded) throws IOException {
    JsonNode sent = ProviderTestKit.objectMapper().readTree(requests().get(0).getBody());
    assertThat(sent.get("model")).isEqualTo(recorded.get("model"));
    assertThat(sent.get("messages")).hasSameSizeAs(recorded.get("messages"));
    for (int i = 0; i < sent.get("messages").size(); i++) {
      assertThat(sent.get("messages").get(i).get("role")).isEqualTo(recorded.get("messages").get(i).get("role"));
    }
    assertThat(sent.path("tools").findValuesAsText("name")).isEqualTo(recorded.path("tools").findValuesAsText("name"));
    assertThat(sent.path("stream").asBoolean(false)).isEqualTo(recorded.path("stream").asBoolean(false));
    assertThat(sent.get("stream_options")).isEqualTo(recorded.get("stream_options"));
    assertThat(sent.get("tool_choice")).isEqualTo(recorded.get("tool_choice"));
    assertThat(sent.get("response_format")).isEqualTo(recorded.get("response_format"));
    for (String f : List.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "seed", "stop", "parallel_tool_calls",
        "reasoning_effort")) {
      assertThat(sent.get(f)).as(f).isEqualTo(recorded.get(f));
    }
    // One answer per request is the typed API's only mode: a recorded n = 1 is sent as its default (absent).
    assertThat(sent.has("n")).as("n").isFalse();
    assertThat(recorded.path("n").asInt(1)).as("recorded n").isEqualTo(1);
  }

  private SwitchboardException chatError(ChatProvider p, ChatRequest request, String azureDeployment) {
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> chat(p, request, azureDeployment));
    assertThat(e).as("recorded error replayed as success").isNotNull();
    return e;
  }

  private SwitchboardException streamError(ChatProvider p, ChatRequest request, String azureDeployment) {
    RecordingListener l = stream(p, request, azureDeployment);
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> l.await(BOUND));
    assertThat(e).as("recorded error replayed as a clean stream").isNotNull();
    assertThat(l.events).isEmpty();
    return e;
  }

  private static Optional<String> header(Case c, String name) {
    return c.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst();
  }

  private static Optional<String> query(String uri, String name) {
    String q = URI.create(uri).getRawQuery();
    if (q == null) return Optional.empty();
    for (String part : q.split("&")) {
      if (part.startsWith(name + "=")) return Optional.of(part.substring(name.length() + 1));
    }
    return Optional.empty();
  }
}
