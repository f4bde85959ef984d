package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Switchboard;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.aws.testing.SigV4Checker;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.OpenAi;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code api: openai-chat}: OpenAI Chat Completions wire to Bedrock's runtime host. There is no
 * recording of Bedrock's OpenAI-compatible endpoint, so these tests stage the shapes AWS documents
 * (Chat Completions bodies on {@code /openai/v1/chat/completions}, the model id in the body,
 * Bedrock's {@code {"message"}} + {@code x-amzn-ErrorType} error envelope) on a loopback WireMock,
 * and check every signed request with the independent {@link SigV4Checker} (base class).
 */
class BedrockOpenAiChatTest extends BedrockTestBase {
  static final String PATH = "/openai/v1/chat/completions";

  static String completion(String text) {
    return "{\"id\":\"chatcmpl-b1\",\"object\":\"chat.completion\",\"model\":\"openai.gpt-oss-120b-1:0\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":" + ProviderTestKit.objectMapper().valueToTree(text) + "},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-RequestId", "req-bedrock-1").withBody(body);
  }

  private void openAiChatProvider() {
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl()).api("openai-chat")
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
  void aChatIsSignedAndSentAsChatCompletionsWithTheModelIdInTheBody(String model) {
    openAiChatProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, completion("Paris."))));

    ChatResponse r = chat(ChatRequest.builder("alias").system("Be brief.").user("Capital of France?").maxTokens(50).build(), model);

    assertThat(r.text()).isEqualTo("Paris.");
    assertThat(r.usage().inputTokens()).isEqualTo(12);
    assertThat(r.usage().outputTokens()).isEqualTo(3);
    assertThat(r.requestId()).contains("req-bedrock-1");
    assertThat(r.servedBy().model()).isEqualTo(model);
    List<LoggedRequest> sent = requests();
    assertThat(sent).hasSize(1);
    LoggedRequest req = sent.get(0);
    assertThat(req.getUrl()).isEqualTo(PATH); // the model id is not in the path: no encoding of ':' to get wrong
    assertThat(req.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260304/us-east-1/bedrock/aws4_request");
    JsonNode body = body(req);
    assertThat(body.path("model").asText()).isEqualTo(model);
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
    assertThat(body.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Capital of France?");
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(50);
    assertThat(body.has("stream")).isFalse();
    // The SigV4 signature (service bedrock, region us-east-1, body hash) is verified after the test.
  }

  @Test
  void everyAttemptIsSignedAnewWithItsOwnDate() throws Exception {
    checkSignatures = false;
    MutableClock mutable = new MutableClock(NOW);
    clock = mutable;
    openAiChatProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, completion("ok"))));
    chat(hello());
    mutable.now = NOW.plus(Duration.ofMinutes(7));
    chat(hello());

    List<LoggedRequest> sent = requests();
    assertThat(sent).extracting(r -> r.getHeader("X-Amz-Date")).containsExactly("20260304T050607Z", "20260304T051307Z");
    for (LoggedRequest r : sent) {
      SigV4Checker.Result result = SigV4Checker.verify(toCheckerRequest(r), SECRET_KEY, true);
      assertThat(result.valid()).as(result.canonicalRequest()).isTrue();
      assertThat(result.service()).isEqualTo("bedrock");
    }
  }

  @Test
  void aBedrockApiKeyIsSentAsBearer() {
    checkSignatures = false;
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-west-2").endpoint(wm.baseUrl()).api("openai-chat")
        .apiKey(Secret.of("ABSKbedrockkey0123456789")).build());
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, completion("hi"))));

    assertThat(chat(hello()).text()).isEqualTo("hi");

    LoggedRequest r = requests().get(0);
    assertThat(r.getUrl()).isEqualTo(PATH);
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer ABSKbedrockkey0123456789");
    assertThat(r.containsHeader("X-Amz-Date")).isFalse();
  }

  @Test
  void aStreamIsSignedAndDecodedAsChatCompletionsChunks() {
    openAiChatProvider();
    String sse = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"role\":\"assistant\",\"content\":\"Par\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"content\":\"is.\"},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n"
        + "data: [DONE]\n\n";
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(sse)));

    RecordingListener listener = stream(hello());
    listener.awaitComplete();

    assertThat(listener.events).contains(new ChatEvent.TextDelta("Par"), new ChatEvent.TextDelta("is."));
    LoggedRequest r = requests().get(0);
    assertThat(r.getHeader("Accept")).isEqualTo("text/event-stream");
    assertThat(body(r).path("stream").asBoolean()).isTrue();
    assertThat(body(r).path("model").asText()).isEqualTo(MODEL);
  }

  @ParameterizedTest
  @CsvSource({
      "429, ThrottlingException, Too many requests, RATE_LIMITED",
      "400, ValidationException, The model returned a validation error, INVALID_REQUEST",
      "403, AccessDeniedException, You don't have access to the model, PERMISSION",
      "403, UnrecognizedClientException, The security token included in the request is invalid, AUTHENTICATION",
      "404, ResourceNotFoundException, Model not found, NOT_FOUND",
  })
  void anErrorInBedrocksEnvelopeIsClassifiedAsOnTheConversePath(int status, String type, String message, ErrorKind kind) {
    openAiChatProvider();
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
    openAiChatProvider();
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(400, "{\"error\":{\"message\":\"Unrecognized request argument\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")));

    SwitchboardException e = chatError(hello());

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.detail()).contains("Unrecognized request argument");
  }

  @Test
  void aBlankModelIdFailsBeforeAnythingIsSent() {
    openAiChatProvider();
    SwitchboardException e = chatError(hello(), " ");
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(requests()).isEmpty();
  }

  @Test
  void anUnknownApiFailsNamingTheAllowedValues() {
    assertThatThrownBy(() -> provider(Bedrock.deployment("bad").region("us-east-1").api("openai-completions").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.bad.api")
        .hasMessageContaining("'openai-completions'")
        .hasMessageContaining("converse, openai-chat, responses");
  }

  @Test
  void anUnknownApiInYamlIsReportedWithTheAllowedValues() {
    String yaml = """
        deployments:
          bedrock-oai:
            type: bedrock
            region: us-east-1
            api: openai-responses
        models:
          chat:
            targets:
              - {deployment: bedrock-oai, model: us.openai.gpt-oss-120b-1:0}
        """;
    assertThatThrownBy(() -> ConfigLoader.withEnvironment(Map.of())
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.bedrock-oai.api")
        .hasMessageContaining("'openai-responses'")
        .hasMessageContaining("converse, openai-chat, responses");
  }

  @Test
  void theYamlSettingSelectsTheOpenAiCompatibleEndpoint() {
    checkSignatures = false;
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, completion("from yaml"))));
    String yaml = """
        deployments:
          bedrock-oai:
            type: bedrock
            region: us-east-1
            endpoint: %s
            api: openai-chat
            api-key: ${BEDROCK_API_KEY}
        models:
          chat:
            targets:
              - {deployment: bedrock-oai, model: us.openai.gpt-oss-120b-1:0}
        """.formatted(wm.baseUrl());
    Switchboard.Builder builder = ConfigLoader.withEnvironment(Map.of("BEDROCK_API_KEY", "yaml-key-0123456789"))
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    try (Switchboard sb = builder.httpClient(http).build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "Hi")).text()).isEqualTo("from yaml");
    }
    LoggedRequest r = requests().get(0);
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer yaml-key-0123456789");
    assertThat(body(r).path("model").asText()).isEqualTo("us.openai.gpt-oss-120b-1:0");
  }

  @Test
  void anAliasFailsOverFromAnOpenAiDeploymentToBedrocksOpenAiEndpoint() throws Exception {
    checkSignatures = false;
    wm.stubFor(post(urlPathEqualTo("/oai/v1/chat/completions")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
            + "\"code\":\"invalid_api_key\"}}")));
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, completion("Paris, from Bedrock."))));
    try (Switchboard sb = Switchboard.builder()
        .httpClient(http)
        .deployment(OpenAi.deployment("openai").baseUrl(wm.baseUrl() + "/oai/v1").apiKey("sk-test-000000000000").build())
        .deployment(Bedrock.deployment("bedrock-oai").region("us-east-1").endpoint(wm.baseUrl()).api("openai-chat")
            .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build())
        .model(ModelAlias.builder("gpt").target("openai", "gpt-oss-120b").target("bedrock-oai", "us.openai.gpt-oss-120b-1:0").build())
        .build()) {
      ChatResponse r = sb.chatAsync(ChatRequest.of("gpt", "Capital of France?")).get(20, TimeUnit.SECONDS);
      assertThat(r.text()).isEqualTo("Paris, from Bedrock.");
      assertThat(r.servedBy().deployment()).isEqualTo("bedrock-oai");
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(r.attempts()).extracting(a -> a.target().deployment()).containsExactly("openai", "bedrock-oai");
    }
    wm.verify(1, postRequestedFor(urlPathEqualTo(PATH)));
    wm.verify(1, postRequestedFor(urlPathEqualTo("/oai/v1/chat/completions")));
    LoggedRequest bedrock = wm.findAll(postRequestedFor(urlPathEqualTo(PATH))).get(0);
    SigV4Checker.Result result = SigV4Checker.verify(toCheckerRequest(bedrock), SECRET_KEY, true);
    assertThat(result.valid()).as(result.canonicalRequest()).isTrue();
    assertThat(result.service()).isEqualTo("bedrock");
    assertThat(bedrock.getHeader("Authorization")).doesNotContain("sk-test");
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends java.time.Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
