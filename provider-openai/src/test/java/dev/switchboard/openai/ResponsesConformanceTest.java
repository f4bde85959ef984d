package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
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
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.Secret;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testkit.conformance.ErrorScenario;
import dev.switchboard.testkit.conformance.ProviderConformanceSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The core provider conformance suite on an {@code api: responses} OpenAI deployment (Responses API wire). */
class ResponsesConformanceTest extends ProviderConformanceSuite {
  private static final String PATH = "/v1/responses";

  /** Every body the suite made must match the Responses request schema ({@code CreateResponse}). */
  @AfterEach
  void everyRequestMatchesTheResponsesSchema() {
    Harness.validate(server.getAllServeEvents());
  }

  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    return new OpenAiProviderFactory().create(
        OpenAi.deployment("conformance").baseUrl(baseUrl + "/v1").apiKey(apiKey).api(OpenAiApi.RESPONSES).build(), context);
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }

  private static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8").withBody(body);
  }

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, response("completed", message(text), usage(inputTokens, outputTokens)))));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, response("completed", functionCall(id, name, argumentsJson), usage(20, 10)))));
  }


  @Override
  protected void stageJsonReply(WireMockServer wm, String json) {
    stageText(wm, json, 10, 10);
  }

  @Override
  protected void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(textStream(deltas, inputTokens, outputTokens))));
  }


  @Override
  protected void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(toolStream(id, name, argumentFragments))));
  }


  @Override
  protected void stageError(WireMockServer wm, ErrorScenario scenario) {
    String type = switch (scenario) {
      case BAD_REQUEST -> "invalid_request_error";
      case UNAUTHORIZED -> "authentication_error";
      case RATE_LIMITED -> "requests";
      default -> "server_error";
    };
    ResponseDefinitionBuilder r = json(scenario.status, "{\"error\":{\"message\":\"scenario " + scenario
        + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":null}}");
    if (scenario == ErrorScenario.RATE_LIMITED) r = r.withHeader("Retry-After", "2");
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(r));
  }

  @Override
  protected void stageTruncatedStream(WireMockServer wm, List<String> deltas) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(truncatedStream(deltas))));
  }


  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, "{\"id\":\"resp_3\",\"output\":[{\"type\":\"mess")));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    wm.stubFor(any(urlPathEqualTo(PATH)).willReturn((stream ? sse(emptyStream()) : json(200, "{}")).withFixedDelay((int) delay.toMillis())));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + key + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));
  }
}
