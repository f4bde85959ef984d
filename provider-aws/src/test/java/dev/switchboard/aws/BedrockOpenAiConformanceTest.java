package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.switchboard.Secret;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testkit.conformance.ErrorScenario;
import dev.switchboard.testkit.conformance.ProviderConformanceSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The core provider conformance suite on a {@code bedrock} deployment with {@code api: openai-chat}
 * (Bedrock API key as bearer): OpenAI Chat Completions bodies on Bedrock's
 * {@code /openai/v1/chat/completions}, errors in Bedrock's {@code {"message"}} +
 * {@code x-amzn-ErrorType} envelope. There is no recording of this endpoint; the shapes are the
 * documented ones. Every stub requires the bearer header, so a request without it gets no answer.
 */
class BedrockOpenAiConformanceTest extends ProviderConformanceSuite {
  private static final String PATH = "/openai/v1/chat/completions";
  private String bearer;

  /** Every body the suite made matches the Chat Completions request schema ({@code CreateChatCompletionRequest}). */
  @AfterEach
  void everyRequestMatchesTheChatCompletionsSchema() {
    BedrockTestBase.assertEveryOpenAiBodyMatchesTheSchema(server.getAllServeEvents().stream().map(ServeEvent::getRequest).toList());
  }

  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    bearer = "Bearer " + apiKey.reveal();
    return new BedrockProviderFactory(name -> null).create(Bedrock.deployment("conformance").region("us-east-1")
        .endpoint(baseUrl).api("openai-chat").apiKey(apiKey).build(), context);
  }

  @Override
  protected String model() {
    return "us.openai.gpt-oss-120b-1:0";
  }

  private MappingBuilder route() {
    return post(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo(bearer));
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-RequestId", "conformance-req").withBody(body);
  }

  private static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8").withBody(body);
  }

  private static String q(String s) {
    return ProviderTestKit.objectMapper().valueToTree(s).toString();
  }

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    wm.stubFor(route().willReturn(json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
        + "\"model\":\"openai.gpt-oss-120b-1:0\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + q(text) + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + inputTokens
        + ",\"completion_tokens\":" + outputTokens + ",\"total_tokens\":" + (inputTokens + outputTokens) + "}}")));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    wm.stubFor(route().willReturn(json(200, "{\"id\":\"chatcmpl-2\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":" + q(id) + ",\"type\":\"function\","
        + "\"function\":{\"name\":" + q(name) + ",\"arguments\":" + q(argumentsJson) + "}}]},\"finish_reason\":\"tool_calls\"}],"
        + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10,\"total_tokens\":30}}")));
  }

  @Override
  protected void stageJsonReply(WireMockServer wm, String json) {
    stageText(wm, json, 10, 10);
  }

  @Override
  protected void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens) {
    StringBuilder sb = new StringBuilder();
    sb.append(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
    for (String d : deltas) sb.append(chunk("{\"content\":" + q(d) + "}", null));
    sb.append(chunk("{}", "stop"));
    sb.append("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":").append(inputTokens)
        .append(",\"completion_tokens\":").append(outputTokens).append("}}\n\n");
    sb.append("data: [DONE]\n\n");
    wm.stubFor(route().willReturn(sse(sb.toString())));
  }

  @Override
  protected void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments) {
    StringBuilder sb = new StringBuilder();
    sb.append(chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":" + q(id)
        + ",\"type\":\"function\",\"function\":{\"name\":" + q(name) + ",\"arguments\":\"\"}}]}", null));
    for (String f : argumentFragments) {
      sb.append(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + q(f) + "}}]}", null));
    }
    sb.append(chunk("{}", "tool_calls"));
    sb.append("data: [DONE]\n\n");
    wm.stubFor(route().willReturn(sse(sb.toString())));
  }

  @Override
  protected void stageError(WireMockServer wm, ErrorScenario scenario) {
    String type = switch (scenario) {
      case BAD_REQUEST -> "ValidationException";
      case FORBIDDEN -> "AccessDeniedException";
      case NOT_FOUND -> "ResourceNotFoundException";
      case RATE_LIMITED -> "ThrottlingException";
      case SERVER_ERROR -> "InternalServerException";
      case UNAVAILABLE -> "ServiceUnavailableException";
      default -> null; // 401, 502, 504 come from gateways without a Bedrock error name
    };
    ResponseDefinitionBuilder r = json(scenario.status, "{\"message\":\"scenario " + scenario + "\"}");
    if (type != null) r = r.withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    if (scenario == ErrorScenario.RATE_LIMITED) r = r.withHeader("Retry-After", "2");
    wm.stubFor(route().willReturn(r));
  }

  @Override
  protected void stageTruncatedStream(WireMockServer wm, List<String> deltas) {
    StringBuilder sb = new StringBuilder();
    for (String d : deltas) sb.append(chunk("{\"content\":" + q(d) + "}", null));
    wm.stubFor(route().willReturn(sse(sb.toString())));
  }

  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    wm.stubFor(route().willReturn(json(200, "{\"id\":\"chatcmpl-3\",\"choices\":[{\"index\":0,\"mess")));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    wm.stubFor(any(urlPathEqualTo(PATH)).willReturn((stream ? sse("data: [DONE]\n\n") : json(200, "{}"))
        .withFixedDelay((int) delay.toMillis())));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(401, "{\"message\":\"Invalid API key " + key + "\"}")));
  }

  private static String chunk(String delta, String finishReason) {
    return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
  }
}
