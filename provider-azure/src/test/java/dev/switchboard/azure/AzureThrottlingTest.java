package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.testkit.conformance.RecordingListener;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Azure's 429s, built from the documented shapes (no recording of one exists): each Retry-After
 * header variant, the quota threshold that turns a long wait into QUOTA_EXCEEDED, and the
 * remaining-only rate-limit headers.
 */
class AzureThrottlingTest extends AzureTestBase {
  private static final String PATH = "/openai/deployments/gpt-4o-prod/chat/completions";
  private static final String BODY = AzureWire.error("429", "Requests to the ChatCompletions_Create Operation under"
      + " Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier.");

  private void stage429(ResponseDefinitionBuilder response) {
    server.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("api-version", equalTo("2024-10-21"))
        .withHeader("api-key", equalTo(KEY)).willReturn(response));
  }

  private SwitchboardException failure(ChatProvider p) {
    try {
      chat(p, hello(), "gpt-4o-prod");
    } catch (SwitchboardException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "retry-after-ms, 1500, PT1.5S",
      "x-ms-retry-after-ms, 2500, PT2.5S",
      "Retry-After, 7, PT7S",
      "Retry-After, 60, PT1M",
  })
  void eachRetryAfterHeaderGivesRateLimitedWithItsWait(String header, String value, Duration expected) {
    stage429(json(429, BODY).withHeader(header, value)
        .withHeader("x-ratelimit-remaining-requests", "0").withHeader("x-ratelimit-remaining-tokens", "312"));
    SwitchboardException e = failure(provider(deployment().apiKey(KEY).build()));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(expected);
    assertThat(e.httpStatus()).hasValue(429);
    assertThat(e.provider()).contains("azure-openai");
    assertThat(e.target()).contains("az");
    assertThat(e.requestId()).contains("apim-1");
    RateLimitInfo limits = e.rateLimit().orElseThrow();
    assertThat(limits.remainingRequests()).isEqualTo(OptionalLong.of(0));
    assertThat(limits.remainingTokens()).isEqualTo(OptionalLong.of(312));
    assertThat(limits.limitRequests()).isEmpty();
    AzureOpenAiException azure = AzureOpenAiException.find(e).orElseThrow();
    assertThat(azure.region()).contains("East US");
    assertThat(azure.deploymentName()).contains("gpt-4o-prod");
    assertThat(e.getMessage()).contains("East US");
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredOnTheInjectedClock() {
    String at = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.instant().plusSeconds(45).atZone(ZoneOffset.UTC));
    stage429(json(429, BODY).withHeader("Retry-After", at));
    SwitchboardException e = failure(provider(deployment().apiKey(KEY).build()));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(45));
  }

  @Test
  void aDailyQuotaRetryAfterIsQuotaExceeded() {
    stage429(json(429, BODY).withHeader("Retry-After", "86400"));
    SwitchboardException e = failure(provider(deployment().apiKey(KEY).build()));
    assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED);
    assertThat(e.kind().failoverByDefault()).isTrue();
    assertThat(e.kind().retryableByDefault()).isFalse();
    assertThat(e.retryAfter()).contains(Duration.ofDays(1));
    assertThat(e.getMessage()).contains("86400 s").contains("threshold of 60 s");
  }

  @Test
  void theMillisecondHeaderDecidesWhenSeveralAreSent() {
    stage429(json(429, BODY).withHeader("retry-after-ms", "90000").withHeader("Retry-After", "90"));
    SwitchboardException e = failure(provider(deployment().apiKey(KEY).build()));
    assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
  }

  @ParameterizedTest(name = "Retry-After {0} with threshold {1} s -> {2}")
  @CsvSource({
      "120, 300, RATE_LIMITED",
      "300, 300, RATE_LIMITED",
      "301, 300, QUOTA_EXCEEDED",
      "61, 60, QUOTA_EXCEEDED",
      "2, 1, QUOTA_EXCEEDED",
  })
  void theThresholdIsConfigurablePerDeployment(int retryAfter, int threshold, ErrorKind expected) {
    stage429(json(429, BODY).withHeader("Retry-After", Integer.toString(retryAfter)));
    ChatProvider p = provider(deployment().apiKey(KEY).quotaRetryAfterThreshold(Duration.ofSeconds(threshold)).build());
    assertThat(failure(p).kind()).isEqualTo(expected);
  }

  @Test
  void a429WithoutAnyWaitHintIsRateLimited() {
    stage429(json(429, BODY));
    SwitchboardException e = failure(provider(deployment().apiKey(KEY).build()));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).isEmpty();
  }

  @Test
  void streamsAreClassifiedTheSameWay() {
    stage429(json(429, BODY).withHeader("x-ms-retry-after-ms", "86400000"));
    RecordingListener l = stream(provider(deployment().apiKey(KEY).build()), hello(), "gpt-4o-prod");
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(AzureOpenAiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED);
      assertThat(e.retryAfter()).contains(Duration.ofDays(1));
      assertThat(e.region()).contains("East US");
    });
    assertThat(l.events).isEmpty();
  }

  @Test
  void remainingOnlyRateLimitHeadersReachSuccessfulResponses() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, AzureWire.text("hi", 3, 1))
        .withHeader("x-ratelimit-remaining-requests", "99").withHeader("x-ratelimit-remaining-tokens", "99995")));
    var r = chat(provider(deployment().apiKey(KEY).build()), hello(), "gpt-4o-prod");
    assertThat(r.rateLimit().orElseThrow().remainingRequests()).isEqualTo(OptionalLong.of(99));
    assertThat(r.rateLimit().orElseThrow().remainingTokens()).isEqualTo(OptionalLong.of(99995));
  }
}
