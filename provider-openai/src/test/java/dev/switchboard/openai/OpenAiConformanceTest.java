package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

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

/** OpenAI's wire format staged for the shared provider conformance suite. */
class OpenAiConformanceTest extends ProviderConformanceSuite {
  private static final String PATH = "/v1/chat/completions";

  /** Runs before the suite stops the server: every body the suite made must match the schema. */
  @AfterEach
  void everyRequestMatchesTheOpenAiSchema() {
    Harness.validate(server.getAllServeEvents());
  }

  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    return new OpenAiProviderFactory().create(
        OpenAi.deployment("conformance").baseUrl(baseUrl + "/v1").apiKey(apiKey).build(), context);
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }

  private static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8").withBody(body);
  }

  private static String q(String s) {
    return WireJson.quote(s);
  }

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + q(text)
        + ",\"refusal\":null},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + inputTokens
        + ",\"completion_tokens\":" + outputTokens + ",\"total_tokens\":" + (inputTokens + outputTokens) + "}}")));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, "{\"id\":\"chatcmpl-2\",\"model\":\"m\",\"choices\":[{\"index\":0,"
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
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(sb.toString())));
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
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(sb.toString())));
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
    StringBuilder sb = new StringBuilder();
    for (String d : deltas) sb.append(chunk("{\"content\":" + q(d) + "}", null));
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(sb.toString())));
  }

  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, "{\"id\":\"chatcmpl-3\",\"choices\":[{\"index\":0,\"mess")));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    wm.stubFor(any(urlPathEqualTo(PATH)).willReturn((stream ? sse("data: [DONE]\n\n") : json(200, "{}"))
        .withFixedDelay((int) delay.toMillis())));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + key + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));
  }

  private static String chunk(String delta, String finishReason) {
    return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
  }
}
