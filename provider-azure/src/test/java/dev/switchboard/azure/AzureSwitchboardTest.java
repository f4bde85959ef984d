package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider as a user meets it: found on the classpath by type {@code azure-openai},
 * configured from YAML (both URL forms and both auth modes), a daily-quota 429 failing over at
 * once to the next Azure deployment, and the Azure details reachable from the final exception.
 */
class AzureSwitchboardTest extends AzureTestBase {

  private Switchboard.Builder fromYaml(String yaml, Map<String, String> env) {
    return ConfigLoader.withEnvironment(env).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void yamlConfiguredDeploymentsFailOverOnAnExhaustedQuota() {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/gpt-4o-prod/chat/completions"))
        .withQueryParam("api-version", equalTo("2024-10-21")).withHeader("api-key", equalTo(KEY))
        .willReturn(json(429, AzureWire.error("429", "daily quota exhausted")).withHeader("Retry-After", "86400")));
    server.stubFor(post(urlPathEqualTo("/west/openai/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer eyJ-west-token"))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.model", equalTo("gpt-4o-west")))
        .willReturn(json(200, AzureWire.text("from west", 5, 2))));
    secrets.add("eyJ-west-token");
    String yaml = """
        deployments:
          azure-east:
            type: azure-openai
            region: eastus
            endpoint: ${EAST_URL}
            api-key: ${AZURE_EAST_KEY}
          azure-west:
            type: azure-openai
            region: westeurope
            endpoint: ${EAST_URL}/west
            url-style: v1
            auth: entra
            quota-retry-after-threshold-seconds: 120
        models:
          chat:
            targets:
              - {deployment: azure-east, model: gpt-4o-prod}
              - {deployment: azure-west, model: gpt-4o-west}
        """;
    try (Switchboard sb = fromYaml(yaml, Map.of("EAST_URL", server.baseUrl(), "AZURE_EAST_KEY", KEY))
        .providerFactory(AzureOpenAi.factory().withTokenSupplier("azure-west",
            () -> AzureAccessToken.of("eyJ-west-token", time.instant().plus(Duration.ofHours(1)))))
        .time(time, time)
        .build()) {
      ChatResponse r = sb.chat(ChatRequest.of("chat", "hello"));
      assertThat(r.text()).isEqualTo("from west");
      assertThat(r.servedBy().deployment()).isEqualTo("azure-west");
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(r.attempts().get(0).errorKind()).contains(ErrorKind.QUOTA_EXCEEDED);
      assertThat(AzureMetadata.contentFilterResults(r)).isPresent();
    }
    assertThat(server.getAllServeEvents()).hasSize(2);
  }

  @Test
  void theProviderIsFoundOnTheClasspathAndItsErrorsCarryAzureDetails() {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/gpt-4o-prod/chat/completions"))
        .willReturn(json(400, "{\"error\":{\"message\":\"filtered\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\","
            + "\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":"
            + "{\"violence\":{\"filtered\":true,\"severity\":\"high\"}}}}}")));
    try (Switchboard sb = Switchboard.builder()
        .deployment(AzureOpenAi.deployment("azure-east").endpoint(server.baseUrl()).apiKey(KEY).build())
        .model(ModelAlias.builder("chat").target("azure-east", "gpt-4o-prod").build())
        .build()) {
      assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hello"))).isInstanceOfSatisfying(SwitchboardException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
        AzureOpenAiException azure = AzureOpenAiException.find(e).orElseThrow();
        assertThat(azure.filteredCategories()).containsExactly("violence");
        assertThat(azure.region()).contains("East US");
        assertThat(e.getMessage()).contains("violence (severity high)");
      });
    }
  }

  @Test
  void configurationProblemsNameTheDeploymentAndSetting() {
    String yaml = """
        deployments:
          azure-east: {type: azure-openai, endpoint: "https://x.openai.azure.com/openai", url-style: v2, api-key: "${K}"}
        models:
          chat: {targets: [{deployment: azure-east, model: gpt-4o}]}
        """;
    assertThatThrownBy(() -> fromYaml(yaml, Map.of("K", KEY)).build())
        .hasMessageContaining("deployments.azure-east.endpoint: give the base URL without /openai")
        .hasMessageContaining("deployments.azure-east.url-style: 'v2' is not one of deployment, v1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }

  @Test
  void yamlMaxTokensFieldNamesTheFieldSentAndAnUnknownValueIsOneProblem() throws Exception {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/gpt-35/chat/completions")).willReturn(json(200, AzureWire.text("ok", 1, 1))));
    for (AzureOpenAi.TokenLimitField field : AzureOpenAi.TokenLimitField.values()) {
      server.resetRequests();
      String yaml = """
          deployments:
            azure-east: {type: azure-openai, endpoint: "${URL}", api-key: "${K}", max-tokens-field: %s}
          models:
            chat: {targets: [{deployment: azure-east, model: gpt-35}]}
          """.formatted(field.wireName());
      try (Switchboard sb = fromYaml(yaml, Map.of("URL", server.baseUrl(), "K", KEY)).time(time, time).build()) {
        sb.chat(ChatRequest.builder("chat").user("hi").maxTokens(10).build());
      }
      com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(server.getAllServeEvents().get(0).getRequest().getBodyAsString());
      String other = field == AzureOpenAi.TokenLimitField.MAX_TOKENS ? "max_completion_tokens" : "max_tokens";
      assertThat(body.path(field.wireName()).asInt()).as(field.name()).isEqualTo(10);
      assertThat(body.has(other)).as(field.name()).isFalse();
    }
    String bad = """
        deployments:
          azure-east: {type: azure-openai, endpoint: "https://x.openai.azure.com", api-key: "${K}", max-tokens-field: max_output_tokens}
        models:
          chat: {targets: [{deployment: azure-east, model: gpt-35}]}
        """;
    assertThatThrownBy(() -> fromYaml(bad, Map.of("K", KEY)).build())
        .hasMessageContaining("deployments.azure-east.max-tokens-field: 'max_output_tokens' is not one of max_completion_tokens, max_tokens")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }

  @Test
  void theTypedTokenLimitFieldIsAzuresOwnAndMatchesItsWireNames() {
    assertThat(AzureOpenAi.TokenLimitField.MAX_COMPLETION_TOKENS.wireName()).isEqualTo("max_completion_tokens");
    assertThat(AzureOpenAi.TokenLimitField.MAX_TOKENS.wireName()).isEqualTo("max_tokens");
    for (AzureOpenAi.TokenLimitField f : AzureOpenAi.TokenLimitField.values()) {
      assertThat(AzureOpenAi.TokenLimitField.ofWireName(f.wireName())).contains(f);
      assertThat(AzureOpenAi.deployment("d").endpoint("https://x.openai.azure.com").apiKey(KEY).maxTokensField(f).build().settings())
          .containsEntry("max-tokens-field", f.wireName());
    }
    assertThat(AzureOpenAi.TokenLimitField.ofWireName("max_output_tokens")).isEmpty();
  }
}
