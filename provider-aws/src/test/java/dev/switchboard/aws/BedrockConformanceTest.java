package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.Secret;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testkit.conformance.ErrorScenario;
import dev.switchboard.testkit.conformance.ProviderConformanceSuite;
import java.time.Duration;
import java.util.List;

/** The core provider conformance suite, staged in Bedrock's wire format (API-key authentication). */
class BedrockConformanceTest extends ProviderConformanceSuite {
  private static final String CONVERSE = "/model/[^/]+/converse";
  private static final String STREAM = "/model/[^/]+/converse-stream";

  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    return new BedrockProviderFactory(name -> null).create(
        Bedrock.deployment("conformance").region("us-east-1").endpoint(baseUrl).apiKey(apiKey).build(), context);
  }

  @Override
  protected String model() {
    return "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-RequestId", "conformance-req").withBody(body);
  }

  private static ResponseDefinitionBuilder eventStream(byte[] body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream").withBody(body);
  }

  @Override
  protected void stageText(WireMockServer wm, String text, int inputTokens, int outputTokens) {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(json(200, "{\"output\":{\"message\":{\"role\":\"assistant\","
        + "\"content\":[{\"text\":\"" + text + "\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":" + inputTokens
        + ",\"outputTokens\":" + outputTokens + ",\"totalTokens\":" + (inputTokens + outputTokens) + "},\"metrics\":{\"latencyMs\":5}}")));
  }

  @Override
  protected void stageToolCall(WireMockServer wm, String id, String name, String argumentsJson) {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(json(200, "{\"output\":{\"message\":{\"role\":\"assistant\","
        + "\"content\":[{\"toolUse\":{\"toolUseId\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":" + argumentsJson + "}}]}},"
        + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":20,\"outputTokens\":10,\"totalTokens\":30},\"metrics\":{\"latencyMs\":5}}")));
  }

  @Override
  protected void stageJsonReply(WireMockServer wm, String json) {
    // The JSON schema arrives through the forced output tool, named after the schema.
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(json(200, "{\"output\":{\"message\":{\"role\":\"assistant\","
        + "\"content\":[{\"toolUse\":{\"toolUseId\":\"tooluse_1\",\"name\":\"person\",\"input\":" + json + "}}]}},"
        + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":20,\"outputTokens\":10,\"totalTokens\":30},\"metrics\":{\"latencyMs\":5}}")));
  }

  @Override
  protected void stageStream(WireMockServer wm, List<String> deltas, int inputTokens, int outputTokens) {
    Frames f = Frames.create().event("messageStart", "{\"role\":\"assistant\"}");
    for (String d : deltas) f.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + d + "\"}}");
    f.event("contentBlockStop", "{\"contentBlockIndex\":0}").event("messageStop", "{\"stopReason\":\"end_turn\"}")
        .event("metadata", "{\"usage\":{\"inputTokens\":" + inputTokens + ",\"outputTokens\":" + outputTokens
            + ",\"totalTokens\":" + (inputTokens + outputTokens) + "},\"metrics\":{\"latencyMs\":5}}");
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(eventStream(f.bytes())));
  }

  @Override
  protected void stageStreamToolCall(WireMockServer wm, String id, String name, List<String> argumentFragments) {
    Frames f = Frames.create().event("messageStart", "{\"role\":\"assistant\"}")
        .event("contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"" + id + "\",\"name\":\"" + name + "\"}}}");
    for (String frag : argumentFragments) {
      f.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":"
          + com.fasterxml.jackson.databind.node.TextNode.valueOf(frag) + "}}}");
    }
    f.event("contentBlockStop", "{\"contentBlockIndex\":0}").event("messageStop", "{\"stopReason\":\"tool_use\"}")
        .event("metadata", "{\"usage\":{\"inputTokens\":9,\"outputTokens\":4,\"totalTokens\":13},\"metrics\":{\"latencyMs\":5}}");
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(eventStream(f.bytes())));
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
    wm.stubFor(post(urlPathMatching("/model/.*")).willReturn(r));
  }

  @Override
  protected void stageTruncatedStream(WireMockServer wm, List<String> deltas) {
    Frames f = Frames.create().event("messageStart", "{\"role\":\"assistant\"}");
    for (String d : deltas) f.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + d + "\"}}");
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(eventStream(f.bytes())));
  }

  @Override
  protected void stageMalformedBody(WireMockServer wm) {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(json(200, "{\"output\":{\"message\":{\"role\":\"assis")));
  }

  @Override
  protected void stageSlowReply(WireMockServer wm, Duration delay, boolean stream) {
    byte[] body = stream ? Frames.create().helloWorld().bytes() : "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    wm.stubFor(post(urlPathMatching(stream ? STREAM : CONVERSE)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", stream ? "application/vnd.amazon.eventstream" : "application/json")
        .withBody(body).withFixedDelay((int) delay.toMillis())));
  }

  @Override
  protected void stageUnauthorizedEchoingKey(WireMockServer wm, String key) {
    wm.stubFor(post(urlPathMatching("/model/.*")).willReturn(json(401, "{\"message\":\"Invalid API key " + key + "\"}")));
  }
}
