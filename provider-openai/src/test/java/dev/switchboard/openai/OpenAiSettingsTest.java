package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.TargetRef;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.ProviderRequest;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deployment settings: validation (every problem named at once), defaults, and the headers they produce. */
class OpenAiSettingsTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private ProviderContext context(boolean allowPlainHttp) {
    return new ProviderContext(h.context.httpClient(), h.context.objectMapper(), h.context.meterRegistry(), h.context.clock(),
        h.context.scheduler(), HttpSettings.DEFAULTS.withAllowPlainHttp(allowPlainHttp));
  }

  @Test
  void serviceLoaderFindsTheOpenAiFactory() {
    assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(f -> {
          assertThat(f).isInstanceOf(OpenAiProviderFactory.class);
          assertThat(f.type()).isEqualTo("openai");
          assertThat(f.specVersion()).isEqualTo(ProviderFactory.SPEC_VERSION);
        });
  }

  /** Issue 22 item 15: a key OkHttp would refuse in a header fails at build time, naming the setting, never the value. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sk-proj-abc123\n", "sk-proj-\u0000abc123", "sk-proj-\u00e9abc123", "sk-proj-abc\r\n123"})
  void aKeyThatCannotBeAHeaderIsRefusedWithoutQuotingIt(String key) {
    Deployment d = Deployment.builder("main", "openai").secret("api-key", Secret.of(key)).build();
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(d, h.context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.main.api-key: contains a")
        .hasMessageContaining("HTTP header")
        .hasMessageNotContaining("abc");
  }

  @Test
  void unknownAndMisplacedKeysAreAllNamed() {
    Deployment d = Deployment.builder("main", "openai")
        .setting("base_url", "https://x")
        .setting("api-key", "sk-plain")
        .setting("organisation", "org-1")
        .secret("token", Secret.of("t0ken-value"))
        .build();
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(d, h.context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\n  - deployments.main.base_url: unknown key; did you mean 'base-url'?\n")
        .hasMessageContaining("\n  - deployments.main.organisation: unknown key; did you mean 'organization'?")
        .hasMessageContaining("deployments.main.api-key: must be given as a secret")
        .hasMessageContaining("deployments.main.token: unknown key; valid keys: [api, api-key, base-url, max-tokens-field, organization, project]")
        .hasMessageNotContaining("sk-plain")
        .hasMessageNotContaining("t0ken-value");
  }

  @Test
  void badValuesAreNamed() {
    Deployment d = Deployment.builder("main", "openai")
        .setting("base-url", "ftp://example.com/v1")
        .setting("max-tokens-field", "max_output_tokens")
        .setting("organization", " ")
        .build();
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(d, h.context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deployments.main.base-url")
        .hasMessageContaining("deployments.main.max-tokens-field: 'max_output_tokens'")
        .hasMessageContaining("deployments.main.organization: is blank");
  }

  @Test
  void plainHttpOnlyToLoopbackUnlessAllowed() {
    Deployment remote = OpenAi.deployment("vllm").baseUrl("http://gpu-box.internal:8000/v1").build();
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(remote, h.context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployments.vllm.base-url");
    assertThat(new OpenAiProviderFactory().create(remote, context(true))).isNotNull();
    assertThat(new OpenAiProviderFactory().create(OpenAi.deployment("local").baseUrl("http://localhost:11434/v1").build(), h.context))
        .isNotNull();
  }

  @Test
  void aDeploymentOfAnotherTypeIsRefused() {
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(Deployment.builder("x", "bedrock").build(), h.context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type 'bedrock'");
  }

  @Test
  void defaultsNeedNoSettingsAtAll() {
    OpenAiProvider p = (OpenAiProvider) new OpenAiProviderFactory().create(Deployment.builder("bare", "openai").build(), h.context);
    assertThat(p.toString()).contains("api.openai.com");
    assertThat(p.capabilities().streaming()).isTrue();
    assertThat(p.capabilities().embeddings()).isTrue();
  }

  @Test
  void headersCarryKeyOrganizationAndProject() throws Exception {
    stubText();
    OpenAiProvider p = h.provider(OpenAi.deployment("main").apiKey("sk-test-123456789").organization("org-abc").project("proj_xyz"));
    p.chat(call()).get(20, TimeUnit.SECONDS);
    h.server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer sk-test-123456789"))
        .withHeader("OpenAI-Organization", equalTo("org-abc"))
        .withHeader("OpenAI-Project", equalTo("proj_xyz"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withHeader("User-Agent", com.github.tomakehurst.wiremock.client.WireMock.matching("switchboard-java/.+")));
    assertThat(p.toString()).doesNotContain("sk-test");
  }

  @Test
  void noKeyNoAuthorizationHeaderForCompatibleServers() throws Exception {
    stubText();
    OpenAiProvider p = h.provider(OpenAi.deployment("ollama").baseUrl(h.server.baseUrl() + "/v1/").build());
    p.chat(call()).get(20, TimeUnit.SECONDS);
    h.server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", absent()).withHeader("OpenAI-Organization", absent()));
  }

  @Test
  void theTypedBuilderWritesTheDocumentedKeys() {
    Deployment d = OpenAi.deployment("d").apiKey("sk-abcdefgh").baseUrl("https://example.com/v1").organization("o")
        .project("p").maxTokensField(OpenAiCodec.MaxTokensField.MAX_TOKENS).region("us-east").build();
    assertThat(d.type()).isEqualTo("openai");
    assertThat(d.settings()).containsOnlyKeys("base-url", "organization", "project", "max-tokens-field")
        .containsEntry("max-tokens-field", "max_tokens");
    assertThat(d.secrets()).containsOnlyKeys("api-key");
    assertThat(d.region()).contains("us-east");
    assertThat(d.toString()).doesNotContain("sk-abcdefgh");
  }

  private void stubText() {
    h.server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}")));
  }

  private static ProviderCall call() {
    return new ProviderCall(ProviderRequest.from(ChatRequest.of("alias", "hi")), new TargetRef("main", "openai", "gpt-4o"), Duration.ofSeconds(20), 1);
  }
}
