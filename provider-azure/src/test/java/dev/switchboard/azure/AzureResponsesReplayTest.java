package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Usage;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.OpenAiApi;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.openai.testkit.RecordedResponses;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the Responses API calls recorded against Azure's v1 surface
 * ({@code https://RESOURCE.openai.azure.com/openai/v1/responses}, in
 * {@code ../shared/fixtures/openai-responses}) through an {@code azure-openai} deployment with
 * {@code api: responses}: the request must go to {@code /openai/v1/responses} without api-version,
 * with the key in {@code api-key} and the deployment name as {@code model}, match the Responses
 * request schema, and the answer must equal what the recording holds (read independently by
 * {@link RecordedResponses}); {@code apim-request-id} is the request id; {@code rawFinishReason} and
 * the served {@code service_tier} are read straight from the recorded body.
 */
class AzureResponsesReplayTest extends AzureTestBase {

  static List<Interaction> azureCalls() {
    List<Interaction> out = new ArrayList<>();
    for (Path file : Cassette.list(Fixtures.path("openai-responses/pydantic-ai"))) {
      for (Interaction i : Cassette.load(file).interactions()) {
        if (i.request().method().equals("POST") && i.request().uri().contains(".openai.azure.com/openai/v1/responses")) out.add(i);
      }
    }
    return out;
  }

  @Test
  void theRecordingsHoldThreeAzureCalls() {
    assertThat(azureCalls()).hasSize(3);
  }

  @TestFactory
  Stream<DynamicTest> replayEveryAzureResponsesRecording() {
    return azureCalls().stream().map(i -> DynamicTest.dynamicTest(i.toString(), () -> replay(i)));
  }

  private void replay(Interaction i) throws Exception {
    JsonNode recorded = i.request().json().orElseThrow();
    String model = recorded.get("model").asText();
    server.stubFor(post(urlPathEqualTo("/openai/v1/responses")).withQueryParam("api-version", absent())
        .withHeader("api-key", equalTo(KEY)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
        .willReturn(aResponse().withStatus(i.response().status()).withHeader("Content-Type", "application/json")
            .withHeader("apim-request-id", i.response().header("apim-request-id").orElseThrow())
            .withBody(i.response().decodedBody())));
    ChatProvider p = provider(deployment().urlStyle(UrlStyle.V1).api(OpenAiApi.RESPONSES).apiKey(KEY).build());
    ChatRequest request = RecordedResponses.toRequest(recorded, AzureOpenAiProviderFactory.TYPE);
    ChatResponse r = chat(p, request, model);
    RecordedResponses.Answer expected = RecordedResponses.fromResponse(i.response().json().orElseThrow());
    assertThat(r.text()).isEqualTo(expected.text());
    assertThat(r.finishReason()).isEqualTo(expected.finishReason());
    assertThat(r.usage()).isEqualTo(expected.usage().orElse(Usage.EMPTY));
    assertThat(r.model()).isEqualTo(expected.model());
    assertThat(r.id()).contains(expected.id());
    assertThat(r.requestId()).isEqualTo(i.response().header("apim-request-id"));
    assertThat(r.metadata()).doesNotContainKey("openai.refusal");
    // Read here from the recorded body itself, not through RecordedResponses: the reason the answer
    // ended as the server wrote it (incomplete_details.reason, else status) and the tier that served it.
    JsonNode answer = i.response().json().orElseThrow();
    String recordedReason = answer.path("incomplete_details").path("reason").asText(answer.path("status").asText());
    assertThat(recordedReason).as("the recording holds a status").isNotEmpty();
    assertThat(r.rawFinishReason()).contains(recordedReason);
    assertThat(answer.path("service_tier").isTextual()).as("the recording holds the served service_tier").isTrue();
    assertThat(r.serviceTier()).contains(answer.get("service_tier").asText());
    assertThat(r.metadata()).containsEntry(OpenAiCodec.SERVICE_TIER, answer.get("service_tier").asText());
    byte[] sent = server.getAllServeEvents().get(0).getRequest().getBody();
    OpenAiRequestSchema.assertValidResponsesRequest(sent);
    JsonNode body = ProviderTestKit.objectMapper().readTree(sent);
    assertThat(body.get("input")).isEqualTo(recorded.get("input"));
    assertThat(body.get("reasoning")).isEqualTo(recorded.get("reasoning"));
    assertThat(body.get("include")).isEqualTo(recorded.get("include"));
    assertThat(body.get("store").asBoolean(true)).isFalse();
  }
}
