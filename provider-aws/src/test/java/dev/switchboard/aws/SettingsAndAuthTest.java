package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.aws.testing.SigV4Checker;
import dev.switchboard.spi.ProviderFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SettingsAndAuthTest extends BedrockTestBase {

  BedrockSettings parse(Deployment d) {
    return BedrockSettings.parse(d, false, name -> null);
  }

  @Test
  void serviceLoaderFindsTheBedrockFactory() {
    assertThat(ServiceLoader.load(ProviderFactory.class)).anyMatch(f -> f.type().equals("bedrock") && f instanceof BedrockProviderFactory);
    assertThat(provider.capabilities().imageUrls()).isFalse();
    assertThat(provider.capabilities().jsonSchema()).isTrue();
    assertThat(provider.capabilities().embeddings()).isTrue();
  }

  @Test
  void unknownAndMisplacedKeysAreNamed() {
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").setting("region", "us-east-1").setting("regoin", "x").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployments.d.regoin: unknown key; did you mean 'region'?");
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").setting("region", "us-east-1").secret("apikey", Secret.of("k")).build()))
        .hasMessageContaining("deployments.d.apikey: unknown key; did you mean 'api-key'?");
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").setting("region", "us-east-1").setting("auth", "api-key")
        .secret("access-key-id", Secret.of("AKID")).secret("api-key", Secret.of("k")).build()))
        .hasMessageContaining("deployments.d.access-key-id: not used with auth=api-key");
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").setting("region", "us-east-1").setting("auth", "iam").build()))
        .hasMessageContaining("'iam' is not one of");
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").setting("region", "us-east-1")
        .secret("access-key-id", Secret.of("AKID")).build())).hasMessageContaining("deployments.d.secret-access-key: missing; auth=static needs access-key-id and secret-access-key");
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").setting("region", "US East").build())).hasMessageContaining("not an AWS region");
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").build())).hasMessageContaining("deployments.d.region: missing");
    assertThatThrownBy(() -> parse(Deployment.builder("d", "bedrock").setting("region", "us-east-1")
        .setting("endpoint", "http://bedrock.example.com").build())).hasMessageContaining("not an https URL");
  }

  /** Issue 22 item 15: a header-bound secret with a character OkHttp refuses fails at build time, naming the setting only. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"ABSK\nsecretvalue123", "ABSK\u0000secretvalue123", "ABSKsecr\u00e9tvalue123", "ABSK\r\nsecretvalue123", "ABSK secretvalue123"})
  void headerBoundSecretsWithBadCharactersAreRejectedWithoutQuotingThem(String value) {
    for (String secret : List.of("api-key", "session-token")) {
      Deployment.Builder b = Deployment.builder("d", "bedrock").setting("region", "us-east-1").secret(secret, Secret.of(value));
      if (secret.equals("session-token")) b.secret("access-key-id", Secret.of("AKIDEXAMPLE")).secret("secret-access-key", Secret.of("wJalrXUtnFEMI"));
      assertThatThrownBy(() -> parse(b.build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("deployments.d." + secret + ": contains a character")
          .hasMessageContaining("HTTP header")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secretvalue").doesNotContain("tvalue123"));
    }
    assertThatThrownBy(() -> BedrockSettings.parse(Bedrock.deployment("d").region("us-east-1").build(), false,
        n -> n.equals(BedrockSettings.API_KEY_ENV) ? value.replace("ABSK", "ABSK\n") : null))
        .hasMessageContaining("api-key (from AWS_BEARER_TOKEN_BEDROCK)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secretvalue"));
  }

  @Test
  void regionsEndpointsAndAuthModesAreInferred() {
    BedrockSettings s = parse(Bedrock.deployment("d").region("eu-central-1").build());
    assertThat(s.endpoint().toString()).isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com/");
    assertThat(s.auth()).isEqualTo(BedrockSettings.AuthMode.DEFAULT_CHAIN);
    assertThat(parse(Bedrock.deployment("d").region("cn-north-1").build()).endpoint().host())
        .isEqualTo("bedrock-runtime.cn-north-1.amazonaws.com.cn");
    assertThat(BedrockSettings.defaultEndpoint("us-iso-east-1").host()).isEqualTo("bedrock-runtime.us-iso-east-1.c2s.ic.gov");
    assertThat(BedrockSettings.defaultEndpoint("xx-newregion-9").host()).isEqualTo("bedrock-runtime.xx-newregion-9.amazonaws.com");
    BedrockSettings fips = parse(Deployment.builder("d", "bedrock")
        .setting("endpoint", "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com").build());
    assertThat(fips.region()).isEqualTo("us-gov-west-1");
    assertThat(parse(Deployment.builder("d", "bedrock").region("ap-southeast-2").build()).region()).isEqualTo("ap-southeast-2");
    assertThat(parse(Bedrock.deployment("d").region("us-east-1").profile("prod").build()).auth()).isEqualTo(BedrockSettings.AuthMode.PROFILE);
    BedrockSettings fromEnv = BedrockSettings.parse(Bedrock.deployment("d").region("us-east-1").build(), false,
        n -> n.equals("AWS_BEARER_TOKEN_BEDROCK") ? "bedrock-api-key-XYZ" : null);
    assertThat(fromEnv.auth()).isEqualTo(BedrockSettings.AuthMode.API_KEY);
    assertThat(fromEnv.apiKey().map(Secret::reveal)).contains("bedrock-api-key-XYZ");
    assertThatThrownBy(() -> parse(Bedrock.deployment("d").region("us-east-1").apiKeyFromEnvironment().build()))
        .hasMessageContaining("AWS_BEARER_TOKEN_BEDROCK");
  }

  @Test
  void toStringsShowNoSecrets() {
    Deployment d = Bedrock.deployment("d").region("us-east-1").sessionCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY),
        Secret.of("TOKEN-abcdef")).build();
    assertThat(d.toString() + parse(d) + provider(d)).doesNotContain(SECRET_KEY).doesNotContain("TOKEN-abcdef").doesNotContain(ACCESS_KEY);
  }

  @Test
  void apiKeyIsSentAsBearerWithoutSigV4() {
    checkSignatures = false;
    environment = n -> n.equals("AWS_BEARER_TOKEN_BEDROCK") ? "env-bedrock-key-123" : null;
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl()).apiKeyFromEnvironment().build());
    wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(ConverseWireTest.TEXT_REPLY)));
    assertThat(chat(hello()).text()).isEqualTo("Hi there");
    var sent = requests().get(0);
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer env-bedrock-key-123");
    assertThat(sent.containsHeader("X-Amz-Date")).isFalse();
    assertWellFormed(sent);
  }

  @Test
  void everyAttemptIsSignedAgainWithTheClockOfItsTime() {
    AtomicReference<Instant> now = new AtomicReference<>(NOW);
    clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneId.of("UTC");
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl())
        .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build());
    checkSignatures = false; // dates differ per request here; checked below
    wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(ConverseWireTest.TEXT_REPLY)));
    chat(hello());
    now.set(NOW.plus(Duration.ofMinutes(7)));
    chat(hello());
    var first = requests().get(0);
    var second = requests().get(1);
    assertThat(first.getHeader("X-Amz-Date")).isEqualTo("20260304T050607Z");
    assertThat(second.getHeader("X-Amz-Date")).isEqualTo("20260304T051307Z");
    assertThat(first.getHeader("Authorization")).isNotEqualTo(second.getHeader("Authorization"));
    assertThat(SigV4Checker.verify(toCheckerRequest(first), SECRET_KEY, true).valid()).isTrue();
    assertThat(SigV4Checker.verify(toCheckerRequest(second), SECRET_KEY, true).valid()).isTrue();
  }

  @Test
  void unresolvableCredentialsAreAnAuthenticationErrorAndNothingIsSent() {
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl())
        .profile("switchboard-no-such-profile-7f3a").build());
    SwitchboardException e = chatError(hello());
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.detail()).contains("could not resolve AWS credentials (auth=profile)");
    assertThat(stream(hello()).awaitError().kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void theSdkBringsNoHttpClientAndNoServiceClient() {
    for (String absent : new String[] {"software.amazon.awssdk.http.apache.ApacheHttpClient",
        "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient", "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
        "software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient", "io.netty.channel.Channel"}) {
      assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
    }
  }
}
