package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.json;
import static dev.switchboard.azure.AzureWire.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ChatProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Entra ID through the provider, on virtual time: the bearer header on every request, the token
 * reused until its refresh window, a new token fetched once the old one expired and the old one
 * never sent after that, supplier failures as typed errors before any request, and the
 * azure-identity bridge (scope and expiry).
 */
class AzureEntraAuthTest extends AzureTestBase {
  private static final String PATH = "/openai/v1/chat/completions";
  private final AtomicInteger fetches = new AtomicInteger();
  private final List<Instant> expiries = new ArrayList<>();

  private AzureAccessToken nextToken() {
    int n = fetches.incrementAndGet();
    String token = "eyJ-entra-token-" + n + "-secret";
    secrets.add(token);
    Instant expiry = time.instant().plus(Duration.ofHours(1));
    expiries.add(expiry);
    return AzureAccessToken.of(token, expiry);
  }

  private ChatProvider entraProvider(AzureTokenSupplier supplier) {
    return provider(new AzureOpenAiProviderFactory().withTokenSupplier("az", supplier),
        deployment().urlStyle(UrlStyle.V1).entraId().build());
  }

  private List<String> sentAuthorizations() {
    return requests().stream().map(r -> r.getHeader("Authorization")).toList();
  }

  @Test
  void theTokenIsReusedThenReplacedAfterExpiryAndNeverSentExpired() {
    server.stubFor(post(urlPathEqualTo(PATH)).withHeader("api-key", absent()).willReturn(json(200, AzureWire.text("ok", 1, 1))));
    ChatProvider p = entraProvider(this::nextToken);

    chat(p, hello(), "gpt-4o-prod");
    time.advance(Duration.ofMinutes(30));
    chat(p, hello(), "gpt-4o-prod");
    assertThat(fetches).hasValue(1);

    time.advance(Duration.ofMinutes(31)); // token 1 expired 1 minute ago
    Instant afterExpiry = time.instant();
    chat(p, hello(), "gpt-4o-prod");
    chat(p, hello(), "gpt-4o-prod");

    assertThat(fetches).hasValue(2);
    assertThat(afterExpiry).isAfter(expiries.get(0));
    assertThat(sentAuthorizations()).containsExactly("Bearer eyJ-entra-token-1-secret", "Bearer eyJ-entra-token-1-secret",
        "Bearer eyJ-entra-token-2-secret", "Bearer eyJ-entra-token-2-secret");
  }

  @Test
  void streamsCarryTheTokenToo() {
    server.stubFor(post(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer eyJ-entra-token-1-secret"))
        .willReturn(sse(AzureWire.textStream(List.of("Hi"), "stop", 1, 1))));
    var l = stream(entraProvider(this::nextToken), hello(), "gpt-4o-prod");
    l.await(BOUND);
    assertThat(l.text()).isEqualTo("Hi");
  }

  @Test
  void aFailingSupplierIsAnAuthenticationErrorAndNoRequestIsSent() {
    ChatProvider p = entraProvider(() -> {
      throw new IllegalStateException("no managed identity endpoint");
    });
    assertThatThrownBy(() -> chat(p, hello(), "gpt-4o-prod")).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
      assertThat(e.provider()).contains("azure-openai");
      assertThat(e.target()).contains("az");
      assertThat(e.getMessage()).contains("no managed identity endpoint");
    });
    var l = stream(p, hello(), "gpt-4o-prod");
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
    assertThat(requests()).isEmpty();
  }

  @Test
  void a401WithATokenIsAnAuthenticationErrorWithoutTheToken() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(401, AzureWire.error("401",
        "Access denied: token eyJ-entra-token-1-secret is not valid for this resource"))));
    assertThatThrownBy(() -> chat(entraProvider(this::nextToken), hello(), "gpt-4o-prod"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
          assertThat(e.getMessage()).doesNotContain("eyJ-entra-token-1-secret");
        });
  }

  @Test
  void theAzureIdentityBridgeAsksForTheCognitiveServicesScope() throws Exception {
    List<List<String>> scopes = new ArrayList<>();
    OffsetDateTime expiry = OffsetDateTime.of(2026, 1, 1, 1, 0, 0, 0, ZoneOffset.UTC);
    TokenCredential credential = new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> getTokenSync(request));
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext request) {
        scopes.add(request.getScopes());
        return new AccessToken("eyJ-from-azure-identity", expiry);
      }
    };
    secrets.add("eyJ-from-azure-identity");
    AzureAccessToken token = AzureIdentityTokens.of(credential).fetch();
    assertThat(scopes).containsExactly(List.of("https://cognitiveservices.azure.com/.default"));
    assertThat(token.token().reveal()).isEqualTo("eyJ-from-azure-identity");
    assertThat(token.expiresAt()).isEqualTo(expiry.toInstant());

    server.stubFor(post(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer eyJ-from-azure-identity"))
        .willReturn(json(200, AzureWire.text("via azure-identity", 1, 1))));
    assertThat(chat(entraProvider(AzureIdentityTokens.of(credential)), hello(), "gpt-4o-prod").text())
        .isEqualTo("via azure-identity");

    TokenCredential empty = new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.empty();
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext request) {
        return null;
      }
    };
    assertThatThrownBy(() -> AzureIdentityTokens.of(empty).fetch()).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
  }

  @Test
  void entraWithoutASupplierUsesDefaultAzureCredentialWhenAzureIdentityIsPresent() {
    // Building it does no network I/O; only a call would ask Entra ID for a token.
    ChatProvider p = provider(deployment().entraId().build());
    assertThat(p.toString()).contains("auth entra");
  }
}
