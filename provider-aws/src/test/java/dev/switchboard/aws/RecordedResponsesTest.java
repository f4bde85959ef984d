package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Vercel and New Relic recorded Converse responses and errors, served from WireMock. */
class RecordedResponsesTest extends BedrockTestBase {
  static Stream<Path> vercelJson() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.path("bedrock/vercel-ai"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vercelJson")
  void vercelRecording(Path file) throws IOException {
    JsonNode recorded = ProviderTestKit.objectMapper().readTree(Files.readString(file));
    if (recorded.has("response")) return; // the live ConverseStream capture: RecordedStreamReplayTest replays it
    if (recorded.has("output")) {
      wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(json(200, recorded.toString())));
      CassetteReplayTest.assertConverseMapping(recorded, chat(hello()));
      return;
    }
    if (recorded.has("Output")) {
      // UnknownOperationException envelope: the error name is nested, there is no message.
      wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(json(400, recorded.toString())));
      SwitchboardException e = chatError(hello());
      assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
      assertThat(e.providerCode()).contains("UnknownOperationException");
      return;
    }
    int status = recorded.path("status").asInt(400);
    JsonNode body = recorded.has("body") ? recorded.get("body") : recorded;
    ResponseDefinitionBuilder r = json(status, body.toString());
    String type = recorded.path("headers").path("x-amzn-errortype").asText("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(r.withHeader("x-amzn-ErrorType", type)));
    SwitchboardException e = chatError(hello());
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.providerCode()).contains("ValidationException");
    assertThat(e.providerMessage().orElseThrow())
        .startsWith(body.get("message").asText().substring(0, Math.min(60, body.get("message").asText().length())));
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(e.detail()).startsWith(body.get("message").asText().substring(0, Math.min(60, body.get("message").asText().length())));
  }

  @Test
  void newRelicRecordings() throws IOException {
    JsonNode all = ProviderTestKit.objectMapper().readTree(Fixtures.text("bedrock/newrelic/converse-recorded-responses.json")).get("RESPONSES");
    int seen = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = all.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode headers = e.getValue().get(0);
      int status = e.getValue().get(1).asInt();
      JsonNode body = e.getValue().get(2);
      ResponseDefinitionBuilder r = aResponse().withStatus(status).withBody(body.toString());
      headers.properties().forEach(h -> r.withHeader(h.getKey(), h.getValue().asText()));
      wm.resetAll();
      wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(r));
      String requestId = headers.get("x-amzn-RequestId").asText();
      if (status == 200) {
        var response = chat(hello());
        CassetteReplayTest.assertConverseMapping(body, response);
        assertThat(response.requestId()).contains(requestId);
      } else {
        SwitchboardException ex = chatError(hello());
        assertThat(ex.requestId()).contains(requestId);
        assertThat(ex.detail()).isEqualTo(body.get("message").asText());
        if (status == 403) {
          assertThat(ex.kind()).as("UnrecognizedClientException").isEqualTo(ErrorKind.AUTHENTICATION);
          assertThat(ex.providerCode()).contains("UnrecognizedClientException");
        } else {
          assertThat(ex.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
          assertThat(ex.providerCode()).contains("ValidationException");
        }
      }
      assertEveryRequestSignedAndWellFormed();
      seen++;
    }
    assertThat(seen).isEqualTo(3);
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }
}
