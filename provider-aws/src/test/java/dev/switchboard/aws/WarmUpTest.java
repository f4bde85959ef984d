package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatResponse;
import dev.switchboard.Secret;
import dev.switchboard.TargetRef;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** {@code warmUp()} loads the signer and codecs in memory only: nothing reaches the server, no credentials are asked for. */
class WarmUpTest extends BedrockTestBase {

  @Test
  void warmUpSendsNothingAndCanRunTwice() {
    provider.warmUp();
    provider.warmUp();
    assertThat(wm.getAllServeEvents()).isEmpty();

    // The provider still makes a correctly signed call afterwards (the base class checks the signature).
    wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(ConverseWireTest.TEXT_REPLY)));
    assertThat(chat(hello()).text()).isEqualTo("Hi there");
    assertThat(wm.getAllServeEvents()).hasSize(1);
  }

  @Test
  void warmUpOfADefaultChainDeploymentSendsNothing() {
    provider.close();
    provider = provider(Bedrock.deployment("chain").region("us-west-2").endpoint(wm.baseUrl()).build());
    provider.warmUp();
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void authenticatorWarmUpNeverAsksForCredentials() throws Exception {
    AtomicInteger resolved = new AtomicInteger();
    AwsCredentialsProvider counting = () -> {
      resolved.incrementAndGet();
      return AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY);
    };
    BedrockSettings settings = BedrockSettings.parse(Bedrock.deployment("d").region("us-east-1").endpoint(wm.baseUrl())
        .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build(), false, name -> null);
    try (BedrockSigner auth = new BedrockSigner(settings, counting, clock, "d", Runnable::run)) {
      auth.warmUp(); // throws if the dummy signature fails
      auth.warmUp();
      assertThat(resolved).hasValue(0);

      // The counter does count: a real authentication asks once.
      Request signed = auth.sign(new Request.Builder().url(wm.baseUrl() + "/model/m/converse")
          .post(okhttp3.RequestBody.create(new byte[0], BedrockProvider.JSON)).build(), new byte[0]).get().request();
      assertThat(resolved).hasValue(1);
      assertThat(signed.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/");
    }
  }

  @Test
  void warmUpsCannedResponseIsAValidConverseBody() {
    // The provider swallows warm-up failures (the SPI forbids throwing); this keeps the canned body honest.
    ChatResponse r = new ConverseResponseReader(ProviderTestKit.newObjectMapper(), new ErrorContext(Bedrock.TYPE, "d"))
        .read(BedrockProvider.WARM_UP_RESPONSE, new TargetRef("d", Bedrock.TYPE, "m"), Optional.empty(), "warm-up");
    assertThat(r.text()).isEqualTo("ok");
  }

}
