package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.switchboard.Secret;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;

/** The conformance suite on the classic deployment URL with {@code api-version} and the {@code api-key} header. */
class AzureDeploymentUrlConformanceTest extends AzureConformanceBase {
  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    return new AzureOpenAiProviderFactory().create(
        AzureOpenAi.deployment("conformance").endpoint(baseUrl).apiKey(apiKey).build(), context);
  }

  @Override
  protected MappingBuilder route() {
    return post(urlPathEqualTo("/openai/deployments/" + model() + "/chat/completions"))
        .withQueryParam("api-version", equalTo("2024-10-21"))
        .withHeader("api-key", equalTo(API_KEY.reveal()));
  }
}
