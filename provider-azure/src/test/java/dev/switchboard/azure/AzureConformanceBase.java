package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.switchboard.azure.AzureWire.chunk;
import static dev.switchboard.azure.AzureWire.json;
import static dev.switchboard.azure.AzureWire.q;
import static dev.switchboard.azure.AzureWire.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.testkit.conformance.ErrorScenario;
import dev.switchboard.testkit.conformance.ProviderConformanceSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Azure's wire format staged for the shared conformance suite. Stubs match only requests with the
 * exact URL form, query and credentials the variant expects ({@link #route()}), so every request
 * the suite makes is also checked for them; every body sent is validated against the OpenAI
 * request schema after each test.
 */
abstract class AzureConformanceBase extends ProviderConformanceSuite {

  /** A POST stub matching this variant's URL, api-version and credentials. */
  protected abstract MappingBuilder route();

  private ResponseDefinitionBuilder stub(ResponseDefinitionBuilder response) {
    server.stubFor(route().willReturn(response));
    return response;
  }

  @AfterEach
  void everyRequestBodyFollowsTheOpenAiSchema() {
    for (LoggedRequest r : server.findAll(anyRequestedFor(urlPathMatching(".*/chat/completions")))) {
      assertThat(OpenAiRequestSchema.chatProblems(r.getBodyAsString())).as(r.getBodyAsString()).isEmpty();
    }
  }

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    stub(json(200, AzureWire.text(text, inputTokens, outputTokens)));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    stub(json(200, "{\"choices\":[{\"content_filter_results\":{},\"finish_reason\":\"tool_calls\",\"index\":0,"
        + "\"message\":{\"content\":null,\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"arguments\":" + q(argumentsJson)
        + ",\"name\":" + q(name) + "},\"id\":" + q(id) + ",\"type\":\"function\"}]}}],\"id\":\"chatcmpl-t\","
        + "\"model\":\"gpt-4o\",\"prompt_filter_results\":" + AzureWire.PROMPT_FILTERS
        + ",\"usage\":{\"completion_tokens\":10,\"prompt_tokens\":20,\"total_tokens\":30}}"));
  }

  @Override
  protected void stageJsonReply(WireMockServer wm, String json) {
    stageText(wm, json, 10, 10);
  }

  @Override
  protected void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens) {
    stub(sse(AzureWire.textStream(deltas, "stop", inputTokens, outputTokens)));
  }

  @Override
  protected void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments) {
    StringBuilder sb = new StringBuilder(AzureWire.PROMPT_CHUNK);
    sb.append(chunk("{\"content\":null,\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"arguments\":\"\",\"name\":"
        + q(name) + "},\"id\":" + q(id) + ",\"index\":0,\"type\":\"function\"}]}", null, "{}"));
    for (String f : argumentFragments) {
      sb.append(chunk("{\"tool_calls\":[{\"function\":{\"arguments\":" + q(f) + "},\"index\":0}]}", null, "{}"));
    }
    sb.append(chunk("{}", "tool_calls", "{}"));
    sb.append(AzureWire.usageChunk(20, 10));
    sb.append("data: [DONE]\n\n");
    stub(sse(sb.toString()));
  }

  @Override
  protected void stageError(WireMockServer wm, ErrorScenario scenario) {
    // Azure's own error shape: a numeric-string code and a message, no type.
    ResponseDefinitionBuilder r = json(scenario.status, AzureWire.error(Integer.toString(scenario.status), "scenario " + scenario));
    if (scenario == ErrorScenario.BAD_REQUEST) {
      r = json(400, "{\"error\":{\"message\":\"Invalid 'messages[0]'.\",\"type\":\"invalid_request_error\","
          + "\"param\":\"messages[0]\",\"code\":\"invalid_value\"}}");
    }
    if (scenario == ErrorScenario.RATE_LIMITED) r = r.withHeader("Retry-After", "2");
    stub(r);
  }

  @Override
  protected void stageTruncatedStream(WireMockServer wm, List<String> deltas) {
    StringBuilder sb = new StringBuilder(AzureWire.PROMPT_CHUNK);
    for (String d : deltas) sb.append(chunk("{\"content\":" + q(d) + "}", null, AzureWire.SAFE_FILTERS));
    stub(sse(sb.toString()));
  }

  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    stub(json(200, "{\"choices\":[{\"content_filter_results\":{},\"index\":0,\"mess"));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    stub((stream ? sse("data: [DONE]\n\n") : json(200, "{}")).withFixedDelay((int) delay.toMillis()));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    stub(json(401, AzureWire.error("401", "Access denied due to invalid subscription key " + key
        + " or wrong API endpoint. Make sure to provide a valid key for an active subscription.")));
  }
}
