package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Secret;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.testkit.logging.RecordingLogs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With every logger at TRACE (the AWS SDK's included), signed calls, streams and failures leave
 * no access key, secret key, session token, API key or signature in any log line.
 */
class NoSecretsInLogsTest extends BedrockTestBase {
  static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue1234567890";
  static final String SDK_SIGNER = "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner";
  static final String API_KEY = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleQ==";

  @Test
  void nothingSecretIsLogged() {
    Assumptions.assumeTrue(RecordingLogs.active(), "the recording SLF4J provider is configured by the module's surefire settings");
    RecordingLogs.clear();
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl())
        .sessionCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY), Secret.of(TOKEN)).build());
    wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(ConverseWireTest.TEXT_REPLY)));
    wm.stubFor(post(urlPathMatching("/model/.*/converse-stream")).willReturn(aResponse().withStatus(403)
        .withHeader("x-amzn-ErrorType", "ExpiredTokenException").withBody("{\"message\":\"token " + TOKEN + " expired\"}")));
    chat(hello());
    stream(hello()).awaitError();
    var keyed = provider(Bedrock.deployment("k").region("us-east-1").endpoint(wm.baseUrl()).apiKey(Secret.of(API_KEY)).build());
    try {
      keyed.chat(call(hello(), MODEL)).join();
    } finally {
      keyed.close();
    }
    List<String> secrets = new ArrayList<>(List.of(SECRET_KEY, TOKEN, API_KEY));
    for (var r : requests()) {
      String auth = r.getHeader("Authorization");
      if (auth != null && auth.contains("Signature=")) secrets.add(auth.substring(auth.indexOf("Signature=") + 10));
    }
    assertThat(RecordingLogs.lines()).isNotEmpty();
    for (RecordingLogs.Line line : RecordingLogs.lines()) {
      // The provider signs Bedrock requests itself (SigV4), so the SDK signer's DEBUG line with
      // the canonical request (which holds a signed session token) is no longer written either.
      assertThat(line.logger()).isNotEqualTo(SDK_SIGNER);
      for (String secret : secrets) {
        assertThat(line.text()).as("log line of %s", line.logger()).doesNotContain(secret);
      }
    }
    checkSignatures = false; // two credentials in play here; signatures are checked everywhere else
  }
}
