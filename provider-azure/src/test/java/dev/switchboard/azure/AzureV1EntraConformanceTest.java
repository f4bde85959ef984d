package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.switchboard.Secret;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import java.time.Duration;

/**
 * The conformance suite on the v1 URL (deployment name in the body's {@code model}, no
 * api-version) with Entra ID: the suite's secret is served as the bearer token, so the suite's
 * check that the key never appears in errors covers the token too.
 */
class AzureV1EntraConformanceTest extends AzureConformanceBase {
  @Override
  protected ChatProvider createProvider(String baseUrl, Secret apiKey, ProviderContext context) {
    AzureOpenAiProviderFactory factory = new AzureOpenAiProviderFactory().withTokenSupplier("conformance",
        () -> new AzureAccessToken(apiKey, context.clock().instant().plus(Duration.ofHours(1))));
    return factory.create(AzureOpenAi.deployment("conformance").endpoint(baseUrl).urlStyle(UrlStyle.V1).entraId().build(),
        context);
  }

  @Override
  protected MappingBuilder route() {
    return post(urlPathEqualTo("/openai/v1/chat/completions"))
        .withQueryParam("api-version", absent())
        .withHeader("Authorization", equalTo("Bearer " + API_KEY.reveal()))
        .withHeader("api-key", absent())
        .withRequestBody(matchingJsonPath("$.model", equalTo(model())));
  }
}
