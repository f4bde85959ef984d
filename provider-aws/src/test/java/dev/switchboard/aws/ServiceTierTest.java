package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ContentPart;
import dev.switchboard.ServiceTier;
import dev.switchboard.SystemMessage;
import dev.switchboard.aws.testing.Cassettes;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ServiceTier} on Converse: {@code serviceTier {type}} for the four tiers Bedrock has
 * (shape-checked against service-2.json, whose enum lists them), a warning for OpenAI's
 * {@code auto} and {@code scale}; the tier that served the answer read from the response and from
 * the stream's {@code metadata} event. Against pydantic-ai's recorded service-tier call: the typed
 * request sends the recorded body, and the recorded answer's tier ({@code flex}, though
 * {@code default} was asked for) comes back as it was.
 */
class ServiceTierTest extends BedrockTestBase {
  private final ConverseRequestWriter writer = new ConverseRequestWriter(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "d"));

  @Test
  void recordedServiceTierCallIsSentAsRecordedAndTheServedTierComesBack() throws IOException {
    int replayed = 0;
    for (Cassettes.Interaction it : Cassettes.read(Fixtures.path("bedrock/pydantic-ai/test_bedrock_model_service_tier.yaml"))) {
      JsonNode recorded = ProviderTestKit.objectMapper().readTree(it.requestBody());
      String rawPath = URI.create(it.uri()).getRawPath();
      String model = URLDecoder.decode(rawPath.substring("/model/".length(), rawPath.lastIndexOf('/')), StandardCharsets.UTF_8);
      wm.resetAll();
      wm.stubFor(post(urlPathEqualTo(rawPath)).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody(ProviderTestKit.objectMapper().writeValueAsString(it.responseBody()))));
      ChatRequest typed = ChatRequest.builder("alias")
          .message(new SystemMessage(List.of(ContentPart.text(recorded.at("/system/0/text").asText()))))
          .user(recorded.at("/messages/0/content/0/text").asText())
          .serviceTier(ServiceTier.valueOf(recorded.at("/serviceTier/type").asText().toUpperCase(java.util.Locale.ROOT)))
          .build();
      ChatResponse r = chat(typed, model);
      assertThat(ProviderTestKit.objectMapper().readTree(requests().get(0).getBody())).isEqualTo(recorded);
      String served = ProviderTestKit.objectMapper().valueToTree(it.responseBody()).at("/serviceTier/type").asText();
      assertThat(served).isEqualTo("flex");
      assertThat(r.serviceTier()).contains(served);
      assertThat(r.warnings()).isEmpty();
      replayed++;
    }
    assertThat(replayed).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = ServiceTier.class, names = {"DEFAULT", "FLEX", "PRIORITY", "RESERVED"})
  void bedrocksTiersAreSent(ServiceTier tier) throws IOException {
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(ChatRequest.builder("a").user("hi").serviceTier(tier).build()));
    JsonNode body = ProviderTestKit.objectMapper().readTree(w.body());
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", body)).isEmpty();
    assertThat(body.at("/serviceTier/type").asText()).isEqualTo(tier.wireName());
    assertThat(w.warnings()).isEmpty();
  }

  @Test
  void openAiOnlyTiersBecomeWarnings() throws IOException {
    ConverseRequestWriter.Written auto = writer.write(ProviderRequest.from(ChatRequest.builder("a").user("hi").serviceTier(ServiceTier.AUTO).build()));
    assertThat(ProviderTestKit.objectMapper().readTree(auto.body()).has("serviceTier")).isFalse();
    assertThat(auto.warnings()).containsExactly(
        "service tier auto is not supported by Bedrock Converse and was not sent; Bedrock's default tier applies");
    ConverseRequestWriter.Written scale = writer.write(ProviderRequest.from(ChatRequest.builder("a").user("hi").serviceTier(ServiceTier.SCALE).build()));
    assertThat(ProviderTestKit.objectMapper().readTree(scale.body()).has("serviceTier")).isFalse();
    assertThat(scale.warnings()).containsExactly("service tier scale is not supported by Bedrock Converse and was not sent");
  }

  @Test
  void theStreamsMetadataEventCarriesTheServedTier() {
    wm.stubFor(post(urlPathMatching("/model/.*/converse-stream")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(Frames.create()
            .event("messageStart", "{\"role\":\"assistant\"}")
            .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Paris\"}}")
            .event("contentBlockStop", "{\"contentBlockIndex\":0}")
            .event("messageStop", "{\"stopReason\":\"end_turn\"}")
            .event("metadata", "{\"usage\":{\"inputTokens\":13,\"outputTokens\":5,\"totalTokens\":18},"
                + "\"metrics\":{\"latencyMs\":300},\"serviceTier\":{\"type\":\"flex\"}}")
            .bytes())));
    ChatRequest request = ChatRequest.builder("a").user("Capital of France?").serviceTier(ServiceTier.FLEX).build();
    RecordingListener l = stream(request);
    dev.switchboard.spi.ResponseMetadata meta = l.awaitComplete();
    StreamCollector acc = new StreamCollector();
    l.events.forEach(acc::accept);
    ChatResponse r = acc.response(call(request, MODEL).target(), meta);
    assertThat(r.serviceTier()).contains("flex");
    assertThat(requests().get(0).getBodyAsString()).contains("\"serviceTier\":{\"type\":\"flex\"}");
  }
}
