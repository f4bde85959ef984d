package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.spi.ProviderContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Deployment settings: defaults, both URL forms, every bad value rejected with its name. */
class AzureSettingsTest {
  private final RealTimeScheduler scheduler = new RealTimeScheduler();
  private final ProviderContext context = new ProviderContext(HttpClients.create(HttpSettings.DEFAULTS), ProviderTestKit.newObjectMapper(),
      new SimpleMeterRegistry(), Clock.systemUTC(), scheduler, HttpSettings.DEFAULTS);

  @AfterEach
  void close() {
    scheduler.close();
  }

  private static Deployment.Builder azure(String endpoint) {
    return Deployment.builder("az", "azure-openai").setting("endpoint", endpoint).secret("api-key", Secret.of("k-123456"));
  }

  /** Issue 22 item 15: an api-key OkHttp would refuse in a header fails at build time, naming the setting, never the value. */
  @ParameterizedTest
  @ValueSource(strings = {"k-abc123\n", "k-\u0000abc123", "k-\u00e9abc123", "k-abc\r\n123"})
  void anApiKeyThatCannotBeAHeaderIsRefusedWithoutQuotingIt(String key) {
    Deployment d = Deployment.builder("az", "azure-openai").setting("endpoint", "https://res.openai.azure.com")
        .secret("api-key", Secret.of(key)).build();
    assertThatThrownBy(() -> parse(d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.az.api-key: contains a")
        .hasMessageContaining("HTTP header")
        .hasMessageNotContaining("abc");
  }

  private static AzureSettings parse(Deployment d) {
    return AzureSettings.parse(d, false, false);
  }

  @Test
  void defaultsAreTheClassicUrlWithTheGaApiVersionAndApiKey() {
    AzureSettings s = parse(azure("https://my.openai.azure.com").build());
    assertThat(s.urlStyle()).isEqualTo(UrlStyle.DEPLOYMENT);
    assertThat(s.apiVersion()).contains("2024-10-21");
    assertThat(s.auth()).isEqualTo(AuthMode.API_KEY);
    assertThat(s.quotaThreshold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(new AzureUrls(s).chat("gpt-4o").toString())
        .isEqualTo("https://my.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
    assertThat(new AzureUrls(s).embeddings("emb").toString())
        .isEqualTo("https://my.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21");
  }

  @Test
  void theV1FormHasNoDeploymentSegmentAndNoApiVersionUnlessSet() {
    AzureSettings s = parse(azure("https://my.openai.azure.com/").setting("url-style", "v1").build());
    assertThat(s.apiVersion()).isEmpty();
    assertThat(new AzureUrls(s).chat("gpt-4o").toString()).isEqualTo("https://my.openai.azure.com/openai/v1/chat/completions");
    assertThat(new AzureUrls(s).embeddings("e").toString()).isEqualTo("https://my.openai.azure.com/openai/v1/embeddings");
    AzureSettings preview = parse(azure("https://my.openai.azure.com").setting("url-style", "V1").setting("api-version", "preview").build());
    assertThat(new AzureUrls(preview).chat("x").toString())
        .isEqualTo("https://my.openai.azure.com/openai/v1/chat/completions?api-version=preview");
  }

  @Test
  void apiResponsesIsTheV1ResponsesUrlAndNeedsTheV1Style() {
    AzureSettings s = parse(azure("https://my.openai.azure.com").setting("url-style", "v1").setting("api", "responses").build());
    assertThat(s.api()).isEqualTo(dev.switchboard.openai.OpenAiApi.RESPONSES);
    assertThat(new AzureUrls(s).responses("gpt-5").toString()).isEqualTo("https://my.openai.azure.com/openai/v1/responses");
    assertThat(parse(azure("https://my.openai.azure.com").build()).api()).isEqualTo(dev.switchboard.openai.OpenAiApi.CHAT_COMPLETIONS);
    assertThatThrownBy(() -> parse(azure("https://my.openai.azure.com").setting("api", "responses").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.az.api: responses is served on the v1 URL").hasMessageContaining("url-style: v1");
    assertThatThrownBy(() -> parse(azure("https://my.openai.azure.com").setting("api", "completions").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.az.api: unknown api 'completions' (allowed: chat-completions, responses)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://res.openai.azure.com", "https://res.cognitiveservices.azure.com",
      "https://res.services.ai.azure.com", "https://gateway.azure-api.net", "https://gateway.azure-api.net/team1"})
  void azureHostsAndApiManagementGatewaysAreAccepted(String endpoint) {
    AzureSettings s = parse(azure(endpoint).setting("api-version", "2025-04-01-preview").build());
    assertThat(new AzureUrls(s).chat("gpt-4o").toString())
        .isEqualTo(endpoint + "/openai/deployments/gpt-4o/chat/completions?api-version=2025-04-01-preview");
  }

  @Test
  void deploymentNamesArePercentEncodedSegments() {
    AzureUrls urls = new AzureUrls(parse(azure("https://res.openai.azure.com").build()));
    assertThat(urls.chat("my deployment/v2?x=1#f").encodedPath())
        .isEqualTo("/openai/deployments/my%20deployment%2Fv2%3Fx=1%23f/chat/completions");
    assertThat(urls.chat("my deployment/v2?x=1#f").querySize()).isEqualTo(1);
    assertThat(urls.chat("%2e%2e").encodedPath()).isEqualTo("/openai/deployments/%252e%252e/chat/completions");
    for (String bad : new String[] {".", ".."}) {
      assertThatThrownBy(() -> urls.chat(bad)).hasMessageContaining("not a valid Azure deployment name");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://res.openai.azure.com/openai | without /openai",
      "https://res.openai.azure.com/openai/v1/ | without /openai",
      "https://apim.azure-api.net/team1/openai | without /openai",
      "https://res.openai.azure.com/extra | has no path",
      "https://res.cognitiveservices.azure.com/x/y | has no path",
      "http://res.openai.azure.com | not an https URL",
      "https://res.openai.azure.com?api-version=1 | must not have a query",
      "not a url | not an http(s) URL",
  })
  void badEndpointsAreRejectedWithTheSettingName(String endpoint, String message) {
    assertThatThrownBy(() -> parse(azure(endpoint).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.az.endpoint").hasMessageContaining(message);
  }

  @Test
  void plainHttpToLoopbackIsAllowed() {
    assertThat(parse(azure("http://127.0.0.1:8080").build()).endpoint().port()).isEqualTo(8080);
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    Deployment d = Deployment.builder("az", "azure-openai")
        .setting("endpont", "https://x.openai.azure.com")
        .setting("url-style", "classic")
        .setting("auth", "password")
        .setting("api-version", "2024 10 21")
        .setting("quota-retry-after-threshold-seconds", "0")
        .secret("apikey", Secret.of("k-123456"))
        .build();
    assertThatThrownBy(() -> parse(d)).isInstanceOf(IllegalArgumentException.class).satisfies(e -> assertThat(e.getMessage())
        .contains("\n  - deployments.az.endpont: unknown key; did you mean 'endpoint'?\n")
        .contains("\n  - deployments.az.apikey: unknown key; did you mean 'api-key'?\n")
        .contains("deployments.az.endpoint: missing")
        .contains("deployments.az.url-style: 'classic' is not one of deployment, v1")
        .contains("deployments.az.auth: 'password' is not one of api-key, entra")
        .contains("deployments.az.api-version: '2024 10 21'")
        .contains("deployments.az.quota-retry-after-threshold-seconds: '0' is not a positive whole number")
        .doesNotContain("k-123456"));
  }

  @Test
  void authMustMatchTheCredentialsGiven() {
    Deployment noKey = Deployment.builder("az", "azure-openai").setting("endpoint", "https://x.openai.azure.com").build();
    assertThatThrownBy(() -> parse(noKey)).hasMessageContaining("deployments.az.api-key: missing");
    assertThat(AzureSettings.parse(noKey, false, true).auth()).isEqualTo(AuthMode.ENTRA);
    assertThatThrownBy(() -> AzureSettings.parse(azure("https://x.openai.azure.com").build(), false, true))
        .hasMessageContaining("both the secret api-key and a token supplier");
    assertThatThrownBy(() -> parse(azure("https://x.openai.azure.com").setting("auth", "entra").build()))
        .hasMessageContaining("given, but auth is entra");
  }

  @Test
  void theFactoryRejectsAnUnknownMaxTokensFieldAndAForeignType() {
    AzureOpenAiProviderFactory f = new AzureOpenAiProviderFactory();
    assertThatThrownBy(() -> f.create(azure("https://x.openai.azure.com").setting("max-tokens-field", "max_output").build(), context))
        .hasMessageContaining("deployments.az.max-tokens-field: 'max_output' is not one of max_completion_tokens, max_tokens");
    assertThatThrownBy(() -> f.create(Deployment.builder("o", "openai").build(), context))
        .hasMessageContaining("type 'openai' given to the azure-openai provider factory");
  }

  @Test
  void theTypedBuilderWritesTheDocumentedSettings() {
    Deployment d = AzureOpenAi.deployment("west").endpoint("https://w.openai.azure.com").urlStyle(UrlStyle.V1).entraId()
        .apiVersion("preview").quotaRetryAfterThreshold(Duration.ofMinutes(5))
        .maxTokensField(AzureOpenAi.TokenLimitField.MAX_TOKENS).region("westeurope").build();
    assertThat(d.type()).isEqualTo("azure-openai");
    assertThat(d.settings()).containsEntry("endpoint", "https://w.openai.azure.com").containsEntry("url-style", "v1")
        .containsEntry("auth", "entra").containsEntry("api-version", "preview")
        .containsEntry("quota-retry-after-threshold-seconds", "300").containsEntry("max-tokens-field", "max_tokens");
    assertThat(d.region()).contains("westeurope");
    Deployment k = AzureOpenAi.deployment("east").endpoint("https://e.openai.azure.com").apiKey("k-123456").build();
    assertThat(k.settings()).containsEntry("auth", "api-key");
    assertThat(k.secret("api-key")).contains(Secret.of("k-123456"));
    assertThat(k.toString()).doesNotContain("k-123456");
  }

  @Test
  void factoryToStringShowsNoSecrets() {
    AzureOpenAiProviderFactory f = new AzureOpenAiProviderFactory()
        .withTokenSupplier("west", () -> AzureAccessToken.of("tok-secret-value", java.time.Instant.MAX));
    assertThat(f.toString()).contains("west").doesNotContain("tok-secret-value");
    assertThat(AzureAccessToken.of("tok-secret-value", java.time.Instant.EPOCH).toString()).doesNotContain("tok-secret-value");
    assertThat(f.create(azure("https://x.openai.azure.com").build(), context).toString()).doesNotContain("k-123456");
  }
}
