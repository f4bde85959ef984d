package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.switchboard.openai.testkit.ResponsesBodies.functionCall;
import static dev.switchboard.openai.testkit.ResponsesBodies.message;
import static dev.switchboard.openai.testkit.ResponsesBodies.response;
import static dev.switchboard.openai.testkit.ResponsesBodies.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.aws.testing.SigV4Checker;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.testing.ProviderTestKit;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code api: responses}: the OpenAI Responses API wire to Bedrock's runtime host,
 * {@code POST {endpoint}/openai/v1/responses} (the base URL AWS documents for the OpenAI SDK on
 * bedrock-runtime is {@code https://bedrock-runtime.{region}.amazonaws.com/openai/v1}). There is
 * no recording of this endpoint: these tests stage the documented shapes (Responses API bodies,
 * the model id in the body, Bedrock's {@code {"message"}} + {@code x-amzn-ErrorType} error
 * envelope) on a loopback WireMock; every signed request is checked by the independent
 * {@link SigV4Checker} and every body against the OpenAPI {@code CreateResponse} schema (base class).
 * Bedrock serves this API synchronously only, so a stream is never sent.
 */
class BedrockOpenAiResponsesTest extends BedrockTestBase {
  static final String PATH = "/openai/v1/responses";

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
    return BedrockOpenAiChatTest.json(status, body);
  }

  static String answer(String text) {
    return response("completed", message(text), usage(12, 3));
  }

  private void responsesProvider() {
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl()).api("responses")
        .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build());
  }

  private static JsonNode body(LoggedRequest r) {
    try {
      return ProviderTestKit.objectMapper().readTree(r.getBody());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai.gpt-oss-120b-1:0", "us.openai.gpt-oss-120b-1:0", "global.openai.gpt-oss-20b-1:0"})
  void aChatIsSignedAndSentToTheResponsesEndpointWithTheModelIdInTheBody(String model) {
    responsesProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, answer("Paris."))));

    ChatResponse r = chat(ChatRequest.builder("alias").system("Be brief.").user("Capital of France?").maxTokens(50).build(), model);

    assertThat(r.text()).isEqualTo("Paris.");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).contains("completed");
    assertThat(r.usage().inputTokens()).isEqualTo(12);
    assertThat(r.usage().outputTokens()).isEqualTo(3);
    assertThat(r.requestId()).contains("req-bedrock-1");
    assertThat(r.id()).contains("resp_1");
    assertThat(r.servedBy().model()).isEqualTo(model);
    List<LoggedRequest> sent = requests();
    assertThat(sent).hasSize(1);
    LoggedRequest req = sent.get(0);
    assertThat(req.getUrl()).isEqualTo(PATH);
    assertThat(req.getHeader("Accept")).isEqualTo("application/json");
    assertThat(req.getHeader("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260304/us-east-1/bedrock/aws4_request");
    JsonNode body = body(req);
    assertThat(body.path("model").asText()).isEqualTo(model);
    assertThat(body.path("instructions").asText()).isEqualTo("Be brief.");
    assertThat(body.path("input").get(0).path("role").asText()).isEqualTo("user");
    assertThat(body.path("input").get(0).path("content").asText()).isEqualTo("Capital of France?");
    assertThat(body.path("max_output_tokens").asInt()).isEqualTo(50);
    assertThat(body.path("store").asBoolean(true)).as("store: false, as on every Responses deployment").isFalse();
    assertThat(body.has("stream")).isFalse();
    assertThat(body.has("messages")).isFalse();
    // The SigV4 signature (service bedrock, region us-east-1, body hash) and the CreateResponse schema are checked after the test.
  }

  @Test
  void toolCallsAndIncompleteAnswersAreReadAsOnOpenAi() {
    responsesProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, response("completed",
        functionCall("call_7", "get_weather", "{\"city\":\"Paris\"}"), usage(20, 9)))));
    ChatResponse calls = chat(ChatRequest.builder("alias").user("Weather in Paris?")
        .tool(new ToolDefinition("get_weather", "Current weather", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"))
        .build());
    assertThat(calls.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(calls.toolCalls()).containsExactly(new ToolCall("call_7", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(body(requests().get(0)).at("/tools/0/name").asText()).isEqualTo("get_weather");

    wm.resetAll();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, response("completed", message("Par"), usage(5, 50))
        .replace("\"status\":\"completed\",\"error\":null,\"incomplete_details\":null",
            "\"status\":\"incomplete\",\"error\":null,\"incomplete_details\":{\"reason\":\"max_output_tokens\"}"))));
    ChatResponse cut = chat(hello());
    assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(cut.rawFinishReason()).contains("max_output_tokens");
  }

  @Test
  void everyAttemptIsSignedAnewWithItsOwnDate() {
    checkSignatures = false;
    BedrockOpenAiChatTest.MutableClock mutable = new BedrockOpenAiChatTest.MutableClock(NOW);
    clock = mutable;
    responsesProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, answer("ok"))));
    chat(hello());
    mutable.now = NOW.plus(Duration.ofMinutes(7));
    chat(hello());

    List<LoggedRequest> sent = requests();
    assertThat(sent).extracting(r -> r.getHeader("X-Amz-Date")).containsExactly("20260304T050607Z", "20260304T051307Z");
    assertThat(sent).extracting(r -> r.getHeader("Authorization")).doesNotHaveDuplicates();
    for (LoggedRequest r : sent) {
      SigV4Checker.Result result = SigV4Checker.verify(toCheckerRequest(r), SECRET_KEY, true);
      assertThat(result.valid()).as(result.canonicalRequest()).isTrue();
      assertThat(result.service()).isEqualTo("bedrock");
      assertThat(result.region()).isEqualTo("us-east-1");
    }
  }

  @Test
  void aBedrockApiKeyIsSentAsBearer() {
    checkSignatures = false;
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-west-2").endpoint(wm.baseUrl()).api("responses")
        .apiKey(Secret.of("ABSKbedrockkey0123456789")).build());
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, answer("hi"))));

    assertThat(chat(hello()).text()).isEqualTo("hi");

    LoggedRequest r = requests().get(0);
    assertThat(r.getUrl()).isEqualTo(PATH);
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer ABSKbedrockkey0123456789");
    assertThat(r.containsHeader("X-Amz-Date")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "429, ThrottlingException, Too many requests, RATE_LIMITED",
      "400, ValidationException, The model returned a validation error, INVALID_REQUEST",
      "403, AccessDeniedException, You don't have access to the model, PERMISSION",
      "403, UnrecognizedClientException, The security token included in the request is invalid, AUTHENTICATION",
      "404, ResourceNotFoundException, Model not found, NOT_FOUND",
      "503, ServiceUnavailableException, Service unavailable, UNAVAILABLE",
  })
  void anErrorInBedrocksEnvelopeIsClassifiedAsOnTheConversePath(int status, String type, String message, ErrorKind kind) {
    responsesProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(status, "{\"message\":\"" + message + "\"}")
        .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
        .withHeader("Retry-After", "3")));

    SwitchboardException e = chatError(hello());

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.providerCode()).contains(type);
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(e.requestId()).contains("req-bedrock-1");
    assertThat(e.provider()).contains("bedrock");
    assertThat(e.detail()).contains(message);
    if (kind == ErrorKind.RATE_LIMITED) assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void anOpenAiShapedErrorWithoutBedrocksHeaderGoesToTheOpenAiCodec() {
    responsesProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(400, "{\"error\":{\"message\":\"Unsupported parameter: 'background'\","
        + "\"type\":\"invalid_request_error\",\"param\":\"background\",\"code\":\"unsupported_parameter\"}}")));

    SwitchboardException e = chatError(hello());

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.providerCode()).contains("unsupported_parameter");
    assertThat(e.detail()).contains("Unsupported parameter");
  }

  @Test
  void aStreamIsRefusedUpFrontAndNothingIsSent() {
    responsesProvider();
    assertThat(provider.capabilities().streaming()).as("the deployment says it cannot stream").isFalse();
    assertThat(provider.capabilities().tools()).isTrue();

    RecordingListener l = stream(hello());

    SwitchboardException e = l.awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("synchronously only").contains("api: responses");
    assertThat(e.provider()).contains("bedrock");
    assertThat(e.target()).contains("bedrock-test");
    assertThat(l.events).isEmpty();
    assertThat(l.endings.get()).isEqualTo(1);
    assertThat(requests()).isEmpty();
  }

  @Test
  void routingSkipsTheResponsesTargetForAStreamAndServesItsChats() throws Exception {
    checkSignatures = false;
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, answer("Chat, from Responses."))));
    byte[] frames = Frames.create().event("messageStart", "{\"role\":\"assistant\"}")
        .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Streamed, from Converse.\"}}")
        .event("contentBlockStop", "{\"contentBlockIndex\":0}")
        .event("messageStop", "{\"stopReason\":\"end_turn\"}")
        .event("metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":4,\"totalTokens\":7}}").bytes();
    wm.stubFor(post(urlPathMatching("/model/.*/converse-stream")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(frames)));
    try (Switchboard sb = Switchboard.builder()
        .httpClient(http)
        .deployment(Bedrock.deployment("bedrock-responses").region("us-east-1").endpoint(wm.baseUrl()).api("responses")
            .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build())
        .deployment(Bedrock.deployment("bedrock-converse").region("us-east-1").endpoint(wm.baseUrl())
            .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build())
        .model(ModelAlias.builder("gpt").target("bedrock-responses", "us.openai.gpt-oss-120b-1:0")
            .target("bedrock-converse", "us.openai.gpt-oss-120b-1:0").build())
        .build()) {
      ChatResponse chat = sb.chatAsync(ChatRequest.of("gpt", "Hi")).get(20, TimeUnit.SECONDS);
      assertThat(chat.text()).isEqualTo("Chat, from Responses.");
      assertThat(chat.servedBy().deployment()).isEqualTo("bedrock-responses");

      ChatResponse streamed;
      List<ChatEvent> events = new ArrayList<>();
      try (ChatStream s = sb.stream(ChatRequest.of("gpt", "Hi"))) {
        s.forEach(events::add);
        streamed = s.response().get(20, TimeUnit.SECONDS);
      }
      assertThat(events).contains(new ChatEvent.TextDelta("Streamed, from Converse."));
      assertThat(streamed.servedBy().deployment()).isEqualTo("bedrock-converse");
      assertThat(streamed.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.SKIPPED, Attempt.Outcome.SUCCEEDED);
      assertThat(streamed.attempts().get(0).target().deployment()).isEqualTo("bedrock-responses");
      assertThat(streamed.attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("streaming"));
    }
    wm.verify(1, postRequestedFor(urlPathEqualTo(PATH)));
    wm.verify(1, postRequestedFor(urlPathMatching("/model/.*/converse-stream")));
    for (LoggedRequest r : requests()) {
      assertThat(SigV4Checker.verify(toCheckerRequest(r), SECRET_KEY, true).valid()).as(r.getUrl()).isTrue();
    }
  }

  @Test
  void theYamlSettingSelectsTheResponsesEndpoint() {
    checkSignatures = false;
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, answer("from yaml"))));
    String yaml = """
        deployments:
          bedrock-responses:
            type: bedrock
            region: us-east-1
            endpoint: %s
            api: responses
            api-key: ${BEDROCK_API_KEY}
        models:
          chat:
            targets:
              - {deployment: bedrock-responses, model: us.openai.gpt-oss-120b-1:0}
        """.formatted(wm.baseUrl());
    Switchboard.Builder builder = ConfigLoader.withEnvironment(Map.of("BEDROCK_API_KEY", "yaml-key-0123456789"))
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    try (Switchboard sb = builder.httpClient(http).build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "Hi")).text()).isEqualTo("from yaml");
    }
    LoggedRequest r = requests().get(0);
    assertThat(r.getUrl()).isEqualTo(PATH);
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer yaml-key-0123456789");
    assertThat(body(r).path("model").asText()).isEqualTo("us.openai.gpt-oss-120b-1:0");
  }

  @Test
  void theModeServesNoEmbeddingsAndNamesItselfWithoutSecrets() {
    responsesProvider();
    assertThat(provider.capabilities().embeddings()).isFalse();
    assertThat(provider.toString()).contains("api responses").doesNotContain(SECRET_KEY);
  }
}
