package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.openai.testkit.RecordedChat.chunks;
import static dev.switchboard.openai.testkit.RecordedChat.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.openai.testkit.RecordedChat;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import dev.switchboard.testkit.conformance.RecordingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded Chat Completions exchange in {@code ../shared/fixtures/openai}
 * (pydantic-ai and New Relic cassettes, Vercel AI SDK response and chunk files) through WireMock
 * and the real provider, and checks that text, tool calls (id, name, arguments), finish reason,
 * usage (with cached and reasoning tokens), model and system fingerprint equal what the recording
 * holds, read independently with plain Jackson trees; recorded errors must give the kind the
 * status and code call for. The request replayed is the recorded request translated into a
 * {@link ChatRequest}, so each produced body is also schema-checked and compared with the
 * recorded one. Interactions that are not chat.completions calls are listed in
 * {@link #SKIPPED} with the reason.
 */
class OpenAiCassetteReplayTest {
  /** Non-chat endpoints in the OpenAI cassettes, and why they are not replayed here. */
  static final Map<String, String> SKIPPED = Map.of(
      "/v1/embeddings", "embeddings, not chat.completions: replayed by OpenAiEmbeddingsTest",
      "/v1/responses", "a Responses API call: the Responses replays are ResponsesCassetteReplayTest's, on openai-responses/",
      "/v1beta/models/gemini-2.0-flash-exp:generateContent", "a Gemini call recorded in the same pydantic-ai test",
      "/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf", "a document download made by the test itself",
      "/TR/2003/REC-PNG-20031110/iso_8859-1.txt", "a document download made by the test itself",
      "/pydantic/pydantic-ai/main/mkdocs.yml", "a document download made by the test itself");
  private static final String KEY = "DEADBEEF";
  private static final Duration BOUND = Duration.ofSeconds(20);

  private static Harness harness;

  /** One recorded exchange to replay. {@code request} is null when only the response was recorded. */
  record Case(String name, JsonNode request, int status, Map<String, List<String>> headers, byte[] body, boolean stream) {}

  @BeforeAll
  static void start() {
    harness = new Harness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String dir : List.of("openai/pydantic-ai", "openai/newrelic")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        Cassette cassette = Cassette.load(file);
        for (Interaction i : cassette.interactions()) {
          if (!i.request().path().equals("/v1/chat/completions")) continue;
          JsonNode request = i.request().json().orElseThrow();
          cases.add(new Case(cassette.name() + " #" + i.index(), request, i.response().status(), i.response().headers(),
              i.response().decodedBody(), request.path("stream").asBoolean(false)));
        }
      }
    }
    String v = "openai/vercel-ai/";
    cases.add(json(v + "openai-text.json", 200, Fixtures.bytes(v + "openai-text.json")));
    cases.add(json(v + "issue-8132-long-tool-call-id.json", 200, Fixtures.bytes(v + "issue-8132-long-tool-call-id.json")));
    cases.add(json(v + "reasoning-model-legacy-parameter-error.json", 400, Fixtures.bytes(v + "reasoning-model-legacy-parameter-error.json")));
    for (JsonNode attempt : tree(Fixtures.bytes(v + "openai-chat-cached-input-tokens-11178.json")).get("attempts")) {
      cases.add(json(v + "openai-chat-cached-input-tokens-11178.json attempt " + attempt.get("attempt").asInt(), 200,
          attempt.get("rawResponseBody").toString().getBytes(StandardCharsets.UTF_8)));
    }
    // The chunk file holds the decoded payloads one per line; the SSE framing and [DONE] are restored.
    StringBuilder sse = new StringBuilder();
    for (String line : Fixtures.text(v + "openai-text.chunks.txt").split("\n")) {
      if (!line.isBlank()) sse.append("data: ").append(line).append("\n\n");
    }
    sse.append("data: [DONE]\n\n");
    cases.add(new Case(v + "openai-text.chunks.txt", null, 200, Map.of("content-type", List.of("text/event-stream")),
        sse.toString().getBytes(StandardCharsets.UTF_8), true));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> replayEveryChatCompletionsRecording() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> replay(c)));
  }

  @Test
  void everyOtherRecordedInteractionHasAListedReason() {
    int chat = 0;
    for (String dir : List.of("openai/pydantic-ai", "openai/newrelic")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        for (Interaction i : Cassette.load(file).interactions()) {
          if (i.request().path().equals("/v1/chat/completions")) chat++;
          else assertThat(SKIPPED).as("reason to skip %s %s", file.getFileName(), i).containsKey(i.request().path());
        }
      }
    }
    assertThat(cases()).filteredOn(c -> c.request() != null).hasSize(chat);
    assertThat(chat).as("recorded chat.completions calls in the OpenAI cassettes").isEqualTo(73);
  }

  private void replay(Case c) throws Exception {
    harness.server.resetAll();
    ResponseDefinitionBuilder response = aResponse().withStatus(c.status()).withBody(c.body());
    c.headers().forEach((name, values) -> {
      String n = name.toLowerCase(java.util.Locale.ROOT);
      if (n.equals("content-type") || n.startsWith("x-ratelimit") || n.equals("x-request-id") || n.startsWith("retry-after")
          || n.startsWith("openai-")) {
        response.withHeader(name, values.toArray(String[]::new));
      }
    });
    if (c.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
      response.withHeader("Content-Type", c.stream() ? "text/event-stream" : "application/json");
    }
    harness.server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(response));

    ChatRequest request = c.request() == null ? ChatRequest.of("alias", "Hello") : RecordedChat.toRequest(c.request(), OpenAiProvider.TYPE);
    String model = c.request() == null ? "gpt-4o-mini" : c.request().get("model").asText();
    OpenAi.DeploymentBuilder deployment = OpenAi.deployment("replay").apiKey(KEY);
    if (c.request() != null && c.request().has("max_tokens")) deployment.maxTokensField(OpenAiCodec.MaxTokensField.MAX_TOKENS);
    OpenAiProvider provider = harness.provider(deployment);
    ProviderCall call = new ProviderCall(ProviderRequest.from(request), new TargetRef("replay", "openai", model), BOUND, 1);

    if (c.status() >= 400) {
      SwitchboardException e = c.stream() ? streamError(provider, call) : chatError(provider, call);
      assertRecordedError(c, e);
    } else if (c.stream()) {
      RecordingListener listener = new RecordingListener();
      provider.stream(call, listener);
      ResponseMetadata meta = listener.await(BOUND);
      StreamCollector acc = new StreamCollector();
      listener.events.forEach(acc::accept);
      ChatResponse r = acc.response(call.target(), meta);
      RecordedChat.Answer expected = RecordedChat.fromChunks(chunks(c.body()));
      assertAnswer(r, expected);
      assertThat(r.serviceTier()).as("service tier of the first chunk that names one")
          .isEqualTo(chunks(c.body()).stream().map(ch -> ch.get("service_tier")).filter(t -> t != null && t.isTextual())
              .findFirst().map(JsonNode::asText).filter(t -> !t.isEmpty()));
      assertThat(r.message().refusal()).isEqualTo(expected.refusal());
      assertThat(listener.events).last().isInstanceOf(dev.switchboard.ChatEvent.Finish.class);
    } else {
      ChatResponse r = provider.chat(call).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      RecordedChat.Answer expected = RecordedChat.fromResponse(tree(c.body()));
      assertAnswer(r, expected);
      assertThat(r.message().refusal()).isEqualTo(expected.refusal());
      assertThat(r.id()).contains(tree(c.body()).get("id").asText());
      JsonNode tier = tree(c.body()).path("service_tier");
      assertThat(r.serviceTier()).as("service tier").isEqualTo(tier.isTextual() && !tier.asText().isEmpty()
          ? Optional.of(tier.asText()) : Optional.empty());
      assertRateLimits(c, r);
    }
    if (c.request() != null) assertSentBodyMatchesRecording(c.request());
    harness.validateRequests();
  }

  private static void assertAnswer(ChatResponse r, RecordedChat.Answer expected) {
    assertThat(r.text()).isEqualTo(expected.text());
    assertThat(r.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(r.finishReason()).isEqualTo(expected.finishReason());
    assertThat(r.rawFinishReason()).isEqualTo(expected.rawFinishReason());
    assertThat(Optional.of(r.usage())).isEqualTo(expected.usage().isPresent() ? expected.usage() : Optional.of(dev.switchboard.Usage.EMPTY));
    assertThat(r.model()).isEqualTo(expected.model());
    assertThat(r.metadata(OpenAiCodec.SYSTEM_FINGERPRINT, String.class)).isEqualTo(expected.fingerprint());
  }

  private static void assertRateLimits(Case c, ChatResponse r) {
    Optional<String> remaining = header(c, "x-ratelimit-remaining-requests");
    if (remaining.isPresent()) {
      assertThat(r.rateLimit()).isPresent();
      assertThat(r.rateLimit().get().remainingRequests()).hasValue(Long.parseLong(remaining.get()));
      assertThat(r.rateLimit().get().resetTokens()).isPresent();
    } else {
      assertThat(r.rateLimit()).isEmpty();
    }
    assertThat(r.requestId()).isEqualTo(header(c, "x-request-id"));
  }

  private static void assertRecordedError(Case c, SwitchboardException e) {
    JsonNode error = tree(c.body()).get("error");
    String code = error.path("code").isNull() ? "" : error.path("code").asText("");
    ErrorKind expected = switch (c.status()) {
      case 400 -> code.equals("context_length_exceeded") ? ErrorKind.CONTEXT_LENGTH_EXCEEDED : ErrorKind.INVALID_REQUEST;
      case 401 -> ErrorKind.AUTHENTICATION;
      case 403 -> ErrorKind.PERMISSION;
      case 404 -> ErrorKind.NOT_FOUND;
      case 429 -> code.equals("insufficient_quota") ? ErrorKind.QUOTA_EXCEEDED : ErrorKind.RATE_LIMITED;
      default -> throw new AssertionError("no expectation for recorded status " + c.status());
    };
    assertThat(e.kind()).isEqualTo(expected);
    assertThat(e.httpStatus()).hasValue(c.status());
    assertThat(e.providerCode()).isEqualTo(code.isEmpty() ? Optional.empty() : Optional.of(code));
    assertThat(e.providerType()).isEqualTo(error.path("type").isTextual() ? Optional.of(error.get("type").asText()) : Optional.empty());
    assertThat(e.requestId()).isEqualTo(header(c, "x-request-id"));
    assertThat(e.provider()).contains("openai");
    assertThat(e.target()).contains("replay");
    assertThat(e.getMessage()).doesNotContain(KEY);
    String start = error.get("message").asText().replace(KEY, "****");
    assertThat(e.detail()).startsWith(start.substring(0, Math.min(30, start.length())));
    assertThat(e.providerMessage().orElseThrow()).startsWith(start.substring(0, Math.min(30, start.length())));
  }

  private void assertSentBodyMatchesRecording(JsonNode recorded) throws IOException {
    JsonNode sent = ProviderTestKit.objectMapper().readTree(harness.server.getAllServeEvents().get(0).getRequest().getBody());
    assertThat(sent.get("model")).isEqualTo(recorded.get("model"));
    assertThat(sent.get("messages")).hasSameSizeAs(recorded.get("messages"));
    for (int i = 0; i < sent.get("messages").size(); i++) {
      String role = recorded.get("messages").get(i).get("role").asText();
      assertThat(sent.get("messages").get(i).get("role").asText()).isEqualTo(role.equals("developer") ? "system" : role);
    }
    assertThat(sent.path("tools").findValuesAsText("name")).isEqualTo(recorded.path("tools").findValuesAsText("name"));
    assertThat(sent.path("stream").asBoolean(false)).isEqualTo(recorded.path("stream").asBoolean(false));
    assertThat(sent.get("tool_choice")).isEqualTo(recorded.get("tool_choice"));
    if (recorded.has("response_format")) {
      assertThat(sent.at("/response_format/type")).isEqualTo(recorded.at("/response_format/type"));
      assertThat(sent.at("/response_format/json_schema/schema")).isEqualTo(recorded.at("/response_format/json_schema/schema"));
    }
    assertThat(RecordedChat.maxTokensOf(sent)).isEqualTo(RecordedChat.maxTokensOf(recorded));
  }

  private static SwitchboardException chatError(OpenAiProvider provider, ProviderCall call) throws Exception {
    try {
      provider.chat(call).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SwitchboardException.class);
      return (SwitchboardException) e.getCause();
    }
    throw new AssertionError("recorded error replayed as success");
  }

  private static SwitchboardException streamError(OpenAiProvider provider, ProviderCall call) {
    RecordingListener listener = new RecordingListener();
    provider.stream(call, listener);
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> listener.await(BOUND));
    assertThat(e).as("recorded error replayed as a clean stream").isNotNull();
    assertThat(listener.events).isEmpty();
    return e;
  }

  private static Optional<String> header(Case c, String name) {
    return c.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst();
  }

  private static Case json(String name, int status, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    return new Case(name, null, status, headers, body, false);
  }
}
