package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.switchboard.openai.testkit.ResponsesBodies.emptyStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.functionCall;
import static dev.switchboard.openai.testkit.ResponsesBodies.message;
import static dev.switchboard.openai.testkit.ResponsesBodies.response;
import static dev.switchboard.openai.testkit.ResponsesBodies.textStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.toolStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.truncatedStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.Secret;
import dev.switchboard.openai.OpenAiApi;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testkit.conformance.ErrorScenario;
import dev.switchboard.testkit.conformance.ProviderConformanceSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The core conformance suite on an {@code azure-openai} deployment with {@code api: responses}:
 * {@code POST {endpoint}/openai/v1/responses}, no api-version, the deployment name in the body's
 * {@code model}, the key in the {@code api-key} header; every stub matches only that form, and
 * every body is checked against the Responses request schema.
 */
class AzureResponsesConformanceTest extends ProviderConformanceSuite {

  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    return new AzureOpenAiProviderFactory().create(AzureOpenAi.deployment("conformance").endpoint(baseUrl)
        .urlStyle(UrlStyle.V1).api(OpenAiApi.RESPONSES).apiKey(apiKey).build(), context);
  }

  private MappingBuilder route() {
    return post(urlPathEqualTo("/openai/v1/responses"))
        .withQueryParam("api-version", absent())
        .withHeader("api-key", equalTo(API_KEY.reveal()))
        .withRequestBody(matchingJsonPath("$.model", equalTo(model())));
  }

  private void stub(ResponseDefinitionBuilder r) {
    server.stubFor(route().willReturn(r));
  }

  @AfterEach
  void everyRequestBodyFollowsTheResponsesSchema() {
    for (LoggedRequest r : server.findAll(anyRequestedFor(urlPathMatching(".*/responses")))) {
      assertThat(OpenAiRequestSchema.responsesProblems(r.getBodyAsString())).as(r.getBodyAsString()).isEmpty();
    }
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("apim-request-id", "3b330e1f-f052-44da-a474-0c4f848a76cf").withBody(body);
  }

  private static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8").withBody(body);
  }

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    stub(json(200, response("completed", message(text), usage(inputTokens, outputTokens))));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    stub(json(200, response("completed", functionCall(id, name, argumentsJson), usage(20, 10))));
  }

  @Override
  protected void stageJsonReply(WireMockServer wm, String json) {
    stageText(wm, json, 10, 10);
  }

  @Override
  protected void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens) {
    stub(sse(textStream(deltas, inputTokens, outputTokens)));
  }

  @Override
  protected void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments) {
    stub(sse(toolStream(id, name, argumentFragments)));
  }

  @Override
  protected void stageError(WireMockServer wm, ErrorScenario scenario) {
    ResponseDefinitionBuilder r = json(scenario.status, AzureWire.error(Integer.toString(scenario.status), "scenario " + scenario));
    if (scenario == ErrorScenario.BAD_REQUEST) {
      r = json(400, "{\"error\":{\"message\":\"Invalid 'input[0]'.\",\"type\":\"invalid_request_error\","
          + "\"param\":\"input[0]\",\"code\":\"invalid_value\"}}");
    }
    if (scenario == ErrorScenario.RATE_LIMITED) r = r.withHeader("Retry-After", "2");
    stub(r);
  }

  @Override
  protected void stageTruncatedStream(WireMockServer wm, List<String> deltas) {
    stub(sse(truncatedStream(deltas)));
  }

  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    stub(json(200, "{\"id\":\"resp_3\",\"output\":[{\"type\":\"mess"));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    stub((stream ? sse(emptyStream()) : json(200, "{}")).withFixedDelay((int) delay.toMillis()));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    stub(json(401, AzureWire.error("401", "Access denied due to invalid subscription key " + key
        + " or wrong API endpoint. Make sure to provide a valid key for an active subscription.")));
  }
}
