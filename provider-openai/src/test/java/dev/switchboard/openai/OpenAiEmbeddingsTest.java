package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@code POST /embeddings}: the New Relic recordings replayed (base64 vectors, 401, 404), float arrays and ordering. */
class OpenAiEmbeddingsTest {
  private static Harness h;
  private static OpenAiProvider provider;

  @BeforeAll
  static void start() {
    h = new Harness();
    provider = h.provider(OpenAi.deployment("emb").apiKey("DEADBEEF"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @TestFactory
  Stream<DynamicTest> replayRecordedEmbeddings() {
    Cassette c = Cassette.fixture("openai/newrelic/mlmodel_openai-cassette.yaml");
    List<Interaction> calls = c.interactions(r -> r.path().equals("/v1/embeddings"));
    assertThat(calls).hasSize(10);
    return calls.stream().map(i -> DynamicTest.dynamicTest(c.name() + " #" + i.index(), () -> replay(i)));
  }

  private void replay(Interaction i) throws Exception {
    h.server.resetAll();
    h.server.stubFor(post(urlPathEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(i.response().status())
        .withHeader("Content-Type", "application/json")
        .withHeader("x-request-id", i.response().header("x-request-id").orElse("none"))
        .withBody(i.response().decodedBody())));
    JsonNode rq = i.request().json().orElseThrow();
    List<String> inputs = new ArrayList<>();
    if (rq.get("input").isArray()) rq.get("input").forEach(n -> inputs.add(n.asText()));
    else inputs.add(rq.get("input").asText());
    CompletableFuture<EmbeddingResponse> f = provider.embed(new ProviderEmbeddingCall(EmbeddingRequest.of("alias", inputs),
        new TargetRef("emb", "openai", rq.get("model").asText()), Duration.ofSeconds(20), 1));
    if (i.response().status() == 200) {
      EmbeddingResponse r = f.get(20, TimeUnit.SECONDS);
      JsonNode body = i.response().json().orElseThrow();
      assertThat(r.vectors()).hasSize(body.get("data").size());
      byte[] raw = Base64.getDecoder().decode(body.at("/data/0/embedding").asText());
      float[] expected = new float[raw.length / 4];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
      assertThat(r.vectors().get(0)).containsExactly(expected);
      assertThat(r.usage().inputTokens()).isEqualTo(body.at("/usage/prompt_tokens").asInt());
      assertThat(r.model()).isEqualTo(body.get("model").asText());
    } else {
      SwitchboardException e = failure(f);
      assertThat(e.kind()).isEqualTo(i.response().status() == 404 ? ErrorKind.NOT_FOUND : ErrorKind.AUTHENTICATION);
      assertThat(e.getMessage()).doesNotContain("DEADBEEF");
      assertThat(e.requestId()).isEqualTo(i.response().header("x-request-id"));
    }
    h.validateRequests();
  }

  @Test
  void floatVectorsAreOrderedByIndex() throws Exception {
    h.server.resetAll();
    h.server.stubFor(post(urlPathEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"object\":\"list\",\"data\":["
            + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.5,-1e-3]},"
            + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[1,2.25]}],"
            + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}")));
    EmbeddingResponse r = provider.embed(call(List.of("first", "second"))).get(20, TimeUnit.SECONDS);
    assertThat(r.vectors().get(0)).containsExactly(1f, 2.25f);
    assertThat(r.vectors().get(1)).containsExactly(0.5f, -0.001f);
    assertThat(r.usage().inputTokens()).isEqualTo(4);
    assertThat(r.servedBy()).isEqualTo(new TargetRef("emb", "openai", "text-embedding-3-small"));
    h.validateRequests();
  }

  @Test
  void aVectorCountThatDoesNotMatchTheInputsIsAProtocolError() throws Exception {
    h.server.resetAll();
    h.server.stubFor(post(urlPathEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"data\":[{\"index\":0,\"embedding\":[1]}],\"model\":\"m\",\"usage\":{\"prompt_tokens\":2}}")));
    SwitchboardException e = failure(provider.embed(call(List.of("a", "b"))));
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    h.validateRequests();
  }

  private static ProviderEmbeddingCall call(List<String> inputs) {
    return new ProviderEmbeddingCall(EmbeddingRequest.of("alias", inputs), new TargetRef("emb", "openai", "text-embedding-3-small"),
        Duration.ofSeconds(20), 1);
  }

  private static SwitchboardException failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (SwitchboardException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
