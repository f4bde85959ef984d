package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatRequest;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.testkit.Eventually;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the provider puts on the wire: paths, query, headers and bodies, for chat and embeddings. */
class AzureRequestTest extends AzureTestBase {
  private static final String EMBEDDINGS = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
      + "\"embedding\":[0.25,-0.5,1.0]},{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.0,0.125,-1.0]}],"
      + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}";

  private JsonNode sentBody() throws Exception {
    return ProviderTestKit.objectMapper().readTree(requests().get(0).getBody());
  }

  @Test
  void deploymentNamesAreSentAsOnePercentEncodedSegment() {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/my%20model%2Fv2/chat/completions"))
        .willReturn(json(200, AzureWire.text("encoded", 1, 1))));
    ChatProvider p = provider(deployment().apiKey(KEY).build());
    assertThat(chat(p, hello(), "my model/v2").text()).isEqualTo("encoded");
    assertThat(requests().get(0).getUrl()).isEqualTo("/openai/deployments/my%20model%2Fv2/chat/completions?api-version=2024-10-21");

    assertThatThrownBy(() -> chat(p, hello(), "..")).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
      assertThat(e.target()).contains("az");
    });
    assertThat(requests()).hasSize(1);
  }

  @Test
  void anApiManagementPathPrefixIsKept() {
    server.stubFor(post(urlPathEqualTo("/gateway/team-1/openai/deployments/gpt-4o/chat/completions"))
        .withQueryParam("api-version", equalTo("2025-04-01-preview")).withHeader("api-key", equalTo(KEY))
        .willReturn(json(200, AzureWire.text("via APIM", 1, 1))));
    ChatProvider p = provider(AzureOpenAi.deployment("az").endpoint(server.baseUrl() + "/gateway/team-1")
        .apiVersion("2025-04-01-preview").apiKey(KEY).build());
    assertThat(chat(p, hello(), "gpt-4o").text()).isEqualTo("via APIM");
  }

  @Test
  void providerOptionsOfTheAzureNamespaceGoIntoTheBody() throws Exception {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/gpt-4o/chat/completions")).willReturn(json(200, AzureWire.text("ok", 1, 1))));
    ChatRequest request = ChatRequest.builder("alias").user("What do our docs say?").maxTokens(64)
        .providerOption("azure-openai", "data_sources", List.of(Map.of("type", "azure_search",
            "parameters", Map.of("endpoint", "https://search.example", "index_name", "docs"))))
        .providerOption("openai", "service_tier", "flex")
        .build();
    chat(provider(deployment().apiKey(KEY).build()), request, "gpt-4o");
    JsonNode body = sentBody();
    assertThat(body.at("/data_sources/0/parameters/index_name").asText()).isEqualTo("docs");
    assertThat(body.has("service_tier")).as("another provider's namespace is ignored").isFalse();
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(64);
    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(OpenAiRequestSchema.chatProblems(body.toString())).isEmpty();
  }

  @Test
  void maxTokensCanUseTheLegacyField() throws Exception {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/gpt-35/chat/completions")).willReturn(json(200, AzureWire.text("ok", 1, 1))));
    ChatProvider p = provider(deployment().apiKey(KEY).maxTokensField(AzureOpenAi.TokenLimitField.MAX_TOKENS).build());
    chat(p, ChatRequest.builder("alias").user("hi").maxTokens(10).build(), "gpt-35");
    assertThat(sentBody().get("max_tokens").asInt()).isEqualTo(10);
    assertThat(sentBody().has("max_completion_tokens")).isFalse();
  }

  @Test
  void embeddingsOnTheDeploymentUrl() throws Exception {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/emb-small/embeddings"))
        .withQueryParam("api-version", equalTo("2024-10-21")).withHeader("api-key", equalTo(KEY))
        .willReturn(json(200, EMBEDDINGS)));
    EmbeddingResponse r = embed(provider(deployment().apiKey(KEY).build()),
        EmbeddingRequest.of("alias", List.of("first", "second")).withDimensions(3), "emb-small");
    assertThat(r.vectors()).hasSize(2);
    assertThat(r.vectors().get(0)).containsExactly(0.25f, -0.5f, 1.0f);
    assertThat(r.vectors().get(1)).containsExactly(0.0f, 0.125f, -1.0f);
    assertThat(r.usage().inputTokens()).isEqualTo(7);
    assertThat(r.model()).isEqualTo("text-embedding-3-small");
    JsonNode body = sentBody();
    assertThat(body.get("model").asText()).isEqualTo("emb-small");
    assertThat(body.get("dimensions").asInt()).isEqualTo(3);
    assertThat(OpenAiRequestSchema.embeddingsProblems(body.toString())).isEmpty();
  }

  @Test
  void embeddingsOnTheV1UrlWithATokenAndTheirErrors() throws Exception {
    server.stubFor(post(urlPathEqualTo("/openai/v1/embeddings")).withQueryParam("api-version", absent())
        .withHeader("Authorization", equalTo("Bearer eyJ-embed-token"))
        .withRequestBody(matchingJsonPath("$.model", equalTo("emb-small"))).willReturn(json(200, EMBEDDINGS)));
    secrets.add("eyJ-embed-token");
    ChatProvider p = provider(AzureOpenAi.factory().withTokenSupplier("az",
            () -> AzureAccessToken.of("eyJ-embed-token", time.instant().plusSeconds(3600))),
        deployment().urlStyle(UrlStyle.V1).build());
    assertThat(embed(p, EmbeddingRequest.of("alias", List.of("a", "b")), "emb-small").vectors()).hasSize(2);
    assertThat(OpenAiRequestSchema.embeddingsProblems(sentBody().toString())).isEmpty();

    server.stubFor(post(urlPathEqualTo("/openai/v1/embeddings")).willReturn(json(429, AzureWire.error("429", "slow down"))
        .withHeader("retry-after-ms", "120000")));
    assertThatThrownBy(() -> embed(p, EmbeddingRequest.of("alias", List.of("a")), "emb-small"))
        .isInstanceOfSatisfying(AzureOpenAiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED);
          assertThat(e.region()).contains("East US");
        });
  }

  @Test
  void cancellingWhileATokenIsFetchedSendsNothing() throws Exception {
    server.stubFor(post(urlPathEqualTo("/openai/v1/chat/completions")).willReturn(json(200, AzureWire.text("second", 1, 1))));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch fetching = new CountDownLatch(1);
    ChatProvider p = provider(AzureOpenAi.factory().withTokenSupplier("az", () -> {
      fetching.countDown();
      release.await(10, TimeUnit.SECONDS);
      return AzureAccessToken.of("eyJ-late-token", time.instant().plusSeconds(3600));
    }), deployment().urlStyle(UrlStyle.V1).build());
    secrets.add("eyJ-late-token");
    CompletableFuture<?> first = p.chat(call(hello(), "gpt-4o"));
    assertThat(fetching.await(10, TimeUnit.SECONDS)).isTrue();
    // A second call waits for the same fetch; when it has its answer, the token reached both.
    CompletableFuture<dev.switchboard.ChatResponse> second = p.chat(call(hello(), "gpt-4o"));
    first.cancel(true);
    release.countDown();
    assertThat(await(second).text()).isEqualTo("second");
    Eventually.await("no call left", BOUND, () -> httpClient.dispatcher().runningCallsCount() == 0
        && httpClient.dispatcher().queuedCallsCount() == 0);
    assertThat(first).isCancelled();
    assertThat(requests()).as("only the second call was sent").hasSize(1);
  }
}
