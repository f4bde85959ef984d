package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class HttpErrorsTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterVariants() {
    assertThat(HttpErrors.retryAfter(Headers.of("retry-after-ms", "1500"), clock)).contains(Duration.ofMillis(1500));
    assertThat(HttpErrors.retryAfter(Headers.of("x-ms-retry-after-ms", "250"), clock)).contains(Duration.ofMillis(250));
    assertThat(HttpErrors.retryAfter(Headers.of("Retry-After", "86400"), clock)).contains(Duration.ofDays(1));
    assertThat(HttpErrors.retryAfter(Headers.of("Retry-After", "Thu, 26 Nov 2026 12:00:30 GMT"), clock)).contains(Duration.ofSeconds(30));
    assertThat(HttpErrors.retryAfter(Headers.of("Retry-After", "Thu, 26 Nov 2026 11:00:00 GMT"), clock)).contains(Duration.ZERO);
    assertThat(HttpErrors.retryAfter(Headers.of("retry-after-ms", "soon", "Retry-After", "3"), clock)).contains(Duration.ofSeconds(3));
    assertThat(HttpErrors.retryAfter(Headers.of("Retry-After", "-5"), clock)).isEmpty();
    assertThat(HttpErrors.retryAfter(Headers.of("Retry-After", "whenever"), clock)).isEmpty();
    assertThat(HttpErrors.retryAfter(Headers.of(), clock)).isEmpty();
  }

  @Test
  void statusKinds() {
    assertThat(HttpErrors.kindForStatus(400)).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(HttpErrors.kindForStatus(401)).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(HttpErrors.kindForStatus(403)).isEqualTo(ErrorKind.PERMISSION);
    assertThat(HttpErrors.kindForStatus(404)).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(HttpErrors.kindForStatus(408)).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(HttpErrors.kindForStatus(409)).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(HttpErrors.kindForStatus(422)).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(HttpErrors.kindForStatus(429)).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(HttpErrors.kindForStatus(500)).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(HttpErrors.kindForStatus(502)).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(HttpErrors.kindForStatus(503)).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(HttpErrors.kindForStatus(504)).isEqualTo(ErrorKind.UNAVAILABLE);
  }

  @Test
  void snippetsAreShortPrintableAndSecretFree() {
    Secret key = Secret.of("my-very-private-key");
    String body = "<html>\n<body>Bad key my-very-private-key and sk-proj-abcdefghijkl Bearer eyJhbGciOi.J9x</body></html>"
        + "x".repeat(500);
    String s = HttpErrors.snippet(body.getBytes(StandardCharsets.UTF_8), List.of(key));
    assertThat(s).doesNotContain("my-very-private-key").doesNotContain("sk-proj-abcdefghijkl").doesNotContain("eyJhbGciOi")
        .doesNotContain("\n").hasSizeLessThanOrEqualTo(201);
    assertThat(HttpErrors.snippet(new byte[0], List.of())).isEqualTo("(empty body)");
  }

  @Test
  void rateLimitHeaders() {
    RateLimitInfo info = RateLimitHeaders.parse(Headers.of(
        "x-ratelimit-limit-requests", "10000", "x-ratelimit-remaining-requests", "9999",
        "x-ratelimit-reset-requests", "6m0s", "x-ratelimit-limit-tokens", "2000000",
        "x-ratelimit-remaining-tokens", "1999000", "x-ratelimit-reset-tokens", "12ms"));
    assertThat(info.limitRequests()).hasValue(10000);
    assertThat(info.remainingRequests()).hasValue(9999);
    assertThat(info.resetRequests()).contains(Duration.ofMinutes(6));
    assertThat(info.remainingTokens()).hasValue(1_999_000);
    assertThat(info.resetTokens()).contains(Duration.ofMillis(12));
    assertThat(RateLimitHeaders.duration("1h2m3.5s")).contains(Duration.ofSeconds(3723, 500_000_000));
    assertThat(RateLimitHeaders.duration("0.5s")).contains(Duration.ofMillis(500));
    assertThat(RateLimitHeaders.duration("5")).contains(Duration.ofSeconds(5));
    assertThat(RateLimitHeaders.duration("5x")).isEmpty();
    assertThat(RateLimitHeaders.duration("ms")).isEmpty();
    assertThat(RateLimitHeaders.parse(Headers.of()).isKnown()).isFalse();
  }

  @Test
  void endpointsRefusePlainHttpExceptToLoopback() {
    assertThat(Endpoints.parse("d", "endpoint", "https://x.openai.azure.com", false).host()).isEqualTo("x.openai.azure.com");
    assertThat(Endpoints.parse("d", "endpoint", "http://127.0.0.1:8080/v1", false).port()).isEqualTo(8080);
    assertThat(Endpoints.parse("d", "endpoint", "http://localhost:1/v1", false).host()).isEqualTo("localhost");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Endpoints.parse("azure-east", "endpoint", "http://example.com", false))
        .hasMessageContaining("deployments.azure-east.endpoint: not an https URL");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Endpoints.parse("d", "endpoint", "http://127.evil.com", false))
        .hasMessageContaining("not an https URL");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Endpoints.parse("d", "base-url", "nope", false))
        .hasMessageContaining("deployments.d.base-url: not an http(s) URL");
    assertThat(Endpoints.parse("d", "endpoint", "http://example.com", true).host()).isEqualTo("example.com");
  }

  /** Issue 22 item 14: a credential straddling the old 800-byte cut is masked whole. */
  @Test
  void aSecretStraddlingTheCutIsScrubbedBeforeTheCut() {
    Secret key = Secret.of("azure0123456789abcdef0123456789ab");
    for (int at = 700; at <= 900; at += 7) {
      String body = "\n".repeat(at - 1) + " " + key.reveal() + " tail";
      String snippet = HttpErrors.snippet(body.getBytes(StandardCharsets.UTF_8), List.of(key));
      assertThat(snippet).as("key at %d", at).doesNotContain("azure0123").contains("****");
    }
  }

  /** A token cut by the end of the scrub window can't be recognised; it is dropped, not shown in part. */
  @Test
  void aTokenCutByTheScrubWindowIsDropped() {
    Secret key = Secret.of("azure0123456789abcdef0123456789ab");
    String body = "\n".repeat(64 * 1024 - 10) + key.reveal();
    assertThat(HttpErrors.snippet(body.getBytes(StandardCharsets.UTF_8), List.of(key))).doesNotContain("azure0");
  }

  @Test
  void serverFieldsAreMaskedFlattenedAndBounded() {
    assertThat(HttpErrors.field(null, List.of())).isNull();
    assertThat(HttpErrors.field("  ", List.of())).isNull();
    assertThat(HttpErrors.field("req\r\nid sk-abcdef0123456789", List.of())).isEqualTo("req id ****");
    assertThat(HttpErrors.field("y".repeat(1000), List.of())).hasSize(HttpErrors.FIELD_CHARS + 1);
  }
}
