package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.spi.ProviderEmbeddingCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** InvokeModel embeddings for Titan Text Embeddings V2 and Cohere Embed, signed like every other call. */
class EmbeddingsTest extends BedrockTestBase {
  EmbeddingResponse embed(EmbeddingRequest r, String model) throws Exception {
    return provider.embed(new ProviderEmbeddingCall(r, target(model), Duration.ofSeconds(20), 1)).get(20, TimeUnit.SECONDS);
  }

  SwitchboardException embedError(EmbeddingRequest r, String model) throws Exception {
    try {
      embed(r, model);
      throw new AssertionError("not rejected");
    } catch (ExecutionException e) {
      return (SwitchboardException) e.getCause();
    }
  }

  @Test
  void titanV2OneCallPerInputInOrder() throws Exception {
    String path = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    wm.stubFor(post(urlPathEqualTo(path)).withRequestBody(containing("\"first\"")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"embedding\":[0.1,0.2,0.3],\"inputTextTokenCount\":2}")));
    wm.stubFor(post(urlPathEqualTo(path)).withRequestBody(containing("\"second\"")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"embedding\":[0.4,0.5,0.6],\"inputTextTokenCount\":3}")));
    EmbeddingResponse r = embed(EmbeddingRequest.of("e", List.of("first", "second")).withDimensions(256), "amazon.titan-embed-text-v2:0");
    assertThat(r.vectors()).hasSize(2);
    assertThat(r.vectors().get(0)).containsExactly(0.1f, 0.2f, 0.3f);
    assertThat(r.vectors().get(1)).containsExactly(0.4f, 0.5f, 0.6f);
    assertThat(r.usage().inputTokens()).isEqualTo(5);
    assertThat(requests()).hasSize(2);
    JsonNode sent = ProviderTestKit.objectMapper().readTree(requests().stream().filter(q -> q.getBodyAsString().contains("first")).findFirst().orElseThrow().getBody());
    assertThat(sent).isEqualTo(ProviderTestKit.objectMapper().readTree("{\"inputText\":\"first\",\"dimensions\":256,\"normalize\":true}"));
  }

  @Test
  void cohereBatchesOf96AndBothResponseShapes() throws Exception {
    String path = "/model/cohere.embed-english-v3/invoke";
    StringBuilder vectors = new StringBuilder();
    for (int i = 0; i < 96; i++) vectors.append(i == 0 ? "" : ",").append("[").append(i).append(",1]");
    wm.stubFor(post(urlPathEqualTo(path)).withRequestBody(containing("\"in0\"")).willReturn(aResponse().withStatus(200)
        .withHeader("X-Amzn-Bedrock-Input-Token-Count", "300").withBody("{\"embeddings\":[" + vectors + "],\"response_type\":\"embeddings_floats\"}")));
    wm.stubFor(post(urlPathEqualTo(path)).withRequestBody(containing("\"in96\"")).willReturn(aResponse().withStatus(200)
        .withHeader("X-Amzn-Bedrock-Input-Token-Count", "4").withBody("{\"embeddings\":{\"float\":[[96,2],[97,2]]}}")));
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 98; i++) inputs.add("in" + i);
    EmbeddingResponse r = embed(EmbeddingRequest.of("e", inputs), "cohere.embed-english-v3");
    assertThat(r.vectors()).hasSize(98);
    assertThat(r.vectors().get(5)).containsExactly(5f, 1f);
    assertThat(r.vectors().get(97)).containsExactly(97f, 2f);
    assertThat(r.usage().inputTokens()).isEqualTo(304);
    JsonNode first = ProviderTestKit.objectMapper().readTree(requests().stream().filter(q -> q.getBodyAsString().contains("\"in0\"")).findFirst().orElseThrow().getBody());
    assertThat(first.get("texts")).hasSize(96);
    assertThat(first.get("input_type").asText()).isEqualTo("search_document");
  }

  @Test
  void unsupportedModelsAndDimensionsAreRejectedBeforeSending() throws Exception {
    assertThat(embedError(EmbeddingRequest.of("e", List.of("x")), "us.amazon.nova-micro-v1:0").detail()).contains("not an embedding model");
    assertThat(embedError(EmbeddingRequest.of("e", List.of("x")).withDimensions(300), "amazon.titan-embed-text-v2:0").kind())
        .isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(embedError(EmbeddingRequest.of("e", List.of("x")).withDimensions(256), "cohere.embed-english-v3").detail())
        .contains("fixed dimensions");
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void errorsAndMalformedBodiesAreTyped() throws Exception {
    wm.stubFor(post(urlPathEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke")).willReturn(ErrorScenarioTest.error(429,
        "ThrottlingException", "slow down")));
    assertThat(embedError(EmbeddingRequest.of("e", List.of("a", "b")), "amazon.titan-embed-text-v2:0").kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    wm.resetAll();
    wm.stubFor(post(urlPathEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke")).willReturn(aResponse().withStatus(200).withBody("{\"embedding\":\"no\"}")));
    assertThat(embedError(EmbeddingRequest.of("e", List.of("a")), "amazon.titan-embed-text-v2:0").kind()).isEqualTo(ErrorKind.PROTOCOL);
  }
}
