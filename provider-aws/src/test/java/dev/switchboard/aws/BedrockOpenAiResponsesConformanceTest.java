package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.openai.testkit.ResponsesBodies.emptyStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.functionCall;
import static dev.switchboard.openai.testkit.ResponsesBodies.message;
import static dev.switchboard.openai.testkit.ResponsesBodies.response;
import static dev.switchboard.openai.testkit.ResponsesBodies.textStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.toolStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.truncatedStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.usage;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.switchboard.Secret;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testkit.conformance.ErrorScenario;
import dev.switchboard.testkit.conformance.ProviderConformanceSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The core provider conformance suite on a {@code bedrock} deployment with {@code api: responses}
 * (Bedrock API key as bearer): Responses API bodies on Bedrock's {@code /openai/v1/responses},
 * errors in Bedrock's {@code {"message"}} + {@code x-amzn-ErrorType} envelope. There is no
 * recording of this endpoint; the shapes are the documented ones. Bedrock serves this API
 * synchronously only, so the deployment cannot stream: the suite's stream tests check instead
 * that a stream is refused at once and nothing reaches the server, although a stream is staged
 * (in the Responses SSE shapes) for each of them. Every stub requires the bearer header.
 */
class BedrockOpenAiResponsesConformanceTest extends ProviderConformanceSuite {
  private static final String PATH = "/openai/v1/responses";
  private String bearer;

  /** Every body the suite made matches the Responses request schema ({@code CreateResponse}). */
  @AfterEach
  void everyRequestMatchesTheResponsesSchema() {
    BedrockTestBase.assertEveryOpenAiBodyMatchesTheSchema(server.getAllServeEvents().stream().map(ServeEvent::getRequest).toList());
  }

  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    bearer = "Bearer " + apiKey.reveal();
    return new BedrockProviderFactory(name -> null).create(Bedrock.deployment("conformance").region("us-east-1")
        .endpoint(baseUrl).api("responses").apiKey(apiKey).build(), context);
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

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    wm.stubFor(route().willReturn(json(200, response("completed", message(text), usage(inputTokens, outputTokens)))));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    wm.stubFor(route().willReturn(json(200, response("completed", functionCall(id, name, argumentsJson), usage(20, 10)))));
  }

  @Override
  protected void stageJsonReply(WireMockServer wm, String json) {
    stageText(wm, json, 10, 10);
  }

  @Override
  protected void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens) {
    wm.stubFor(route().willReturn(sse(textStream(deltas, inputTokens, outputTokens))));
  }

  @Override
  protected void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments) {
    wm.stubFor(route().willReturn(sse(toolStream(id, name, argumentFragments))));
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
    wm.stubFor(route().willReturn(sse(truncatedStream(deltas))));
  }

  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    wm.stubFor(route().willReturn(json(200, "{\"id\":\"resp_3\",\"output\":[{\"type\":\"mess")));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    wm.stubFor(any(urlPathEqualTo(PATH)).willReturn((stream ? sse(emptyStream()) : json(200, "{}"))
        .withFixedDelay((int) delay.toMillis())));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(401, "{\"message\":\"Invalid API key " + key + "\"}")));
  }
}
