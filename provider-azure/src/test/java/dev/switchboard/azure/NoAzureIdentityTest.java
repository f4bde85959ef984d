package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.json;
import static dev.switchboard.azure.AzureWire.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own surefire execution with every com.azure jar removed from the classpath: the
 * provider must load through ServiceLoader and work with an API key or a plain token supplier,
 * and ask for azure-identity only when a deployment needs DefaultAzureCredential. This class
 * must not refer to any com.azure type.
 */
class NoAzureIdentityTest extends AzureTestBase {

  @Test
  void azureIdentityIsReallyAbsent() {
    assertThatThrownBy(() -> Class.forName("com.azure.core.credential.TokenCredential"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("com.azure.identity.DefaultAzureCredentialBuilder"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void apiKeyAndTokenSupplierDeploymentsWork() {
    server.stubFor(post(urlPathEqualTo("/openai/deployments/gpt-4o-prod/chat/completions"))
        .withHeader("api-key", equalTo(KEY)).willReturn(json(200, AzureWire.text("keyed", 1, 1))));
    server.stubFor(post(urlPathEqualTo("/openai/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer eyJ-plain-supplier"))
        .willReturn(sse(AzureWire.textStream(List.of("tok", "ened"), "stop", 1, 2))));
    secrets.add("eyJ-plain-supplier");
    try (Switchboard sb = Switchboard.builder()
        .providerFactory(AzureOpenAi.factory().withTokenSupplier("azure-v1",
            () -> AzureAccessToken.of("eyJ-plain-supplier", Instant.now().plus(Duration.ofHours(1)))))
        .deployment(AzureOpenAi.deployment("azure-key").endpoint(server.baseUrl()).apiKey(KEY).build())
        .deployment(AzureOpenAi.deployment("azure-v1").endpoint(server.baseUrl()).urlStyle(UrlStyle.V1).entraId().build())
        .model(ModelAlias.builder("keyed").target("azure-key", "gpt-4o-prod").build())
        .model(ModelAlias.builder("tokened").target("azure-v1", "gpt-4o-prod").build())
        .build()) {
      assertThat(sb.chat(ChatRequest.of("keyed", "hi")).text()).isEqualTo("keyed");
      List<String> text = new ArrayList<>();
      try (ChatStream s = sb.stream(ChatRequest.of("tokened", "hi"))) {
        for (ChatEvent e : s) {
          if (e instanceof ChatEvent.TextDelta d) text.add(d.text());
        }
      }
      assertThat(String.join("", text)).isEqualTo("tokened");
    }
  }

  @Test
  void entraWithoutASupplierAsksForAzureIdentity() {
    assertThatThrownBy(() -> Switchboard.builder()
        .deployment(AzureOpenAi.deployment("azure-west").endpoint("https://w.openai.azure.com").entraId().build())
        .model(ModelAlias.builder("chat").target("azure-west", "gpt-4o").build())
        .build())
        .hasMessageContaining("deployments.azure-west: auth is entra but no token supplier was given")
        .hasMessageContaining("com.azure:azure-identity");
  }
}
