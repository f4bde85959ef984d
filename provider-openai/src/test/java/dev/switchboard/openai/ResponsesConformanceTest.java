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

  private static String q(String s) {
    return WireJson.quote(s);
  }

  private static String usage(int in, int out) {
    return "{\"input_tokens\":" + in + ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + out
        + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (in + out) + "}";
  }

  private static String response(String status, String output, String usage) {
    return "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"" + status + "\",\"error\":null,\"incomplete_details\":null,"
        + "\"model\":\"m\",\"output\":[" + output + "],\"usage\":" + usage + "}";
  }

  private static String message(String text) {
    return "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":"
        + "\"output_text\",\"text\":" + q(text) + ",\"annotations\":[]}]}";
  }

  private static String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}\n\n";
  }

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, response("completed", message(text), usage(inputTokens, outputTokens)))));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, response("completed", "{\"type\":\"function_call\",\"id\":\"fc_1\","
        + "\"call_id\":" + q(id) + ",\"name\":" + q(name) + ",\"arguments\":" + q(argumentsJson) + ",\"status\":\"completed\"}",
        usage(20, 10)))));
  }

  @Override
  protected void stageJsonReply(WireMockServer wm, String json) {
    stageText(wm, json, 10, 10);
  }

  @Override
  protected void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens) {
    StringBuilder sb = new StringBuilder();
    sb.append(event("response.created", "\"response\":" + response("in_progress", "", "null")));
    sb.append(event("response.output_item.added", "\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[]}"));
    for (String d : deltas) {
      sb.append(event("response.output_text.delta", "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":" + q(d)));
    }
    sb.append(event("response.completed", "\"response\":" + response("completed", message(String.join("", deltas)),
        usage(inputTokens, outputTokens))));
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(sb.toString())));
  }

  @Override
  protected void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments) {
    StringBuilder sb = new StringBuilder();
    sb.append(event("response.created", "\"response\":" + response("in_progress", "", "null")));
    sb.append(event("response.output_item.added", "\"output_index\":0,\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\","
        + "\"call_id\":" + q(id) + ",\"name\":" + q(name) + ",\"arguments\":\"\",\"status\":\"in_progress\"}"));
    for (String f : argumentFragments) {
      sb.append(event("response.function_call_arguments.delta", "\"item_id\":\"fc_1\",\"output_index\":0,\"delta\":" + q(f)));
    }
    sb.append(event("response.function_call_arguments.done", "\"item_id\":\"fc_1\",\"output_index\":0,\"arguments\":"
        + q(String.join("", argumentFragments))));
    sb.append(event("response.completed", "\"response\":" + response("completed", "{\"type\":\"function_call\",\"id\":\"fc_1\","
        + "\"call_id\":" + q(id) + ",\"name\":" + q(name) + ",\"arguments\":" + q(String.join("", argumentFragments)) + "}",
        usage(20, 10))));
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
    sb.append(event("response.created", "\"response\":" + response("in_progress", "", "null")));
    for (String d : deltas) {
      sb.append(event("response.output_text.delta", "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":" + q(d)));
    }
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(sb.toString())));
  }

  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, "{\"id\":\"resp_3\",\"output\":[{\"type\":\"mess")));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    wm.stubFor(any(urlPathEqualTo(PATH)).willReturn((stream ? sse(event("response.completed", "\"response\":"
        + response("completed", "", "null"))) : json(200, "{}")).withFixedDelay((int) delay.toMillis())));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + key + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));
  }
}
