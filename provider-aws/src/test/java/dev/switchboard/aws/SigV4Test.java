package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Secret;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * {@link SigV4}, the provider's own signer for Bedrock's request shape: the headers it adds are
 * exactly those the SDK's {@code AwsV4HttpSigner} adds, for every path Bedrock uses (model ids with
 * {@code :}, ARNs with encoded {@code /}), bodies, ports, dates and session tokens; its key
 * derivation and signature reproduce the official AWS suite; and the paths it does not handle go
 * to the SDK's signer.
 */
class SigV4Test {
  static final String ACCESS = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  static Stream<String> urls() {
    return Stream.of(
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1:0/converse",
        "https://bedrock-runtime.eu-west-3.amazonaws.com/model/amazon.nova-micro-v1:0/converse-stream",
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
            + "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123/converse",
        "http://127.0.0.1:38169/model/m~x_y.z-1/converse",
        "https://bedrock-runtime.us-east-1.amazonaws.com:8443/model/a%20b*c/invoke",
        "https://bedrock-runtime.us-east-1.amazonaws.com/");
  }

  @ParameterizedTest
  @MethodSource("urls")
  void addsExactlyTheHeadersTheSdkSignerAdds(String url) {
    Instant[] instants = {Instant.parse("2026-03-04T05:06:07Z"), Instant.parse("2026-12-31T23:59:59Z"),
        Instant.parse("2027-01-01T00:00:00Z")};
    AwsCredentials[] credentials = {AwsBasicCredentials.create(ACCESS, SECRET),
        AwsSessionCredentials.create(ACCESS, SECRET, "FQoGZXIvYXdzE//session+token==")};
    byte[][] bodies = {new byte[0], "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"h\u00e9\"}]}]}"
        .getBytes(StandardCharsets.UTF_8)};
    for (Instant now : instants) {
      BedrockSigner auth = authenticator(Clock.fixed(now, ZoneOffset.UTC));
      for (AwsCredentials c : credentials) {
        for (byte[] body : bodies) {
          for (String contentType : new String[] {"application/json", null}) {
            Request.Builder b = new Request.Builder().url(url);
            if (contentType != null) {
              b.post(RequestBody.create(body, BedrockProvider.JSON)).header("Content-Type", contentType);
            } else {
              b.post(RequestBody.create(body, null));
            }
            Request unsigned = b.build();
            Request ours = auth.sign(unsigned, body, c);
            Request sdk = auth.sdkSign(unsigned, body, c);
            assertThat(ours.headers().toMultimap()).as("%s at %s", url, now).isEqualTo(sdk.headers().toMultimap());
          }
        }
      }
    }
  }

  @Test
  void anIpv6HostIsSignedAsTheHostHeaderSendsIt() {
    // The SDK's signer, given OkHttp's unbracketed host, signs "::1:9000"; the Host header on the
    // wire is "[::1]:9000", and that is what a server checks.
    BedrockSigner auth = authenticator(Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));
    Request r = new Request.Builder().url("http://[::1]:9000/openai/v1/chat/completions")
        .post(RequestBody.create(new byte[0], BedrockProvider.JSON)).header("Content-Type", "application/json").build();
    Request signed = auth.sign(r, new byte[0], AwsBasicCredentials.create(ACCESS, SECRET));
    assertThat(signed.header("Host")).isEqualTo("[::1]:9000");
    assertThat(signed.header("Authorization")).contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,");
  }

  @Test
  void theSigningKeyFollowsTheDayAndTheSecret() {
    Clock[] clock = {Clock.fixed(Instant.parse("2026-03-04T23:59:59Z"), ZoneOffset.UTC)};
    BedrockSigner auth = authenticator(new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock[0].instant();
      }
    });
    Request r = new Request.Builder().url("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse")
        .post(RequestBody.create(new byte[0], BedrockProvider.JSON)).header("Content-Type", "application/json").build();
    for (String instant : List.of("2026-03-04T23:59:59Z", "2026-03-05T00:00:01Z", "2026-03-04T12:00:00Z")) {
      clock[0] = Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
      for (String secret : List.of(SECRET, "other-secret", SECRET)) {
        AwsCredentials c = AwsBasicCredentials.create(ACCESS, secret);
        assertThat(auth.sign(r, new byte[0], c).header("Authorization")).as("%s %s", instant, secret)
            .isEqualTo(auth.sdkSign(r, new byte[0], c).header("Authorization"));
      }
    }
  }

  @Test
  void pathsItDoesNotHandleGoToTheSdkSigner() {
    assertThat(SigV4.supports("/model/m/converse", null)).isTrue();
    assertThat(SigV4.supports("/", null)).isTrue();
    assertThat(SigV4.supports("/model/m/converse", "a=b")).isFalse();
    assertThat(SigV4.supports("/model/./converse", null)).isFalse();
    assertThat(SigV4.supports("/model/../converse", null)).isFalse();
    assertThat(SigV4.supports("/model//converse", null)).isFalse();
    assertThat(SigV4.supports("/model/m/", null)).isFalse();
    assertThat(SigV4.supports("/model/m/..", null)).isFalse();
    assertThat(SigV4.supports("/model/.hidden/converse", null)).isTrue();
    assertThat(SigV4.supports("", null)).isFalse();
    // Still signed, by the SDK: same result as asking it directly.
    BedrockSigner auth = authenticator(Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));
    Request odd = new Request.Builder().url("https://h.example/model//x?b=2&a=1")
        .post(RequestBody.create(new byte[0], BedrockProvider.JSON)).build();
    AwsCredentials c = AwsBasicCredentials.create(ACCESS, SECRET);
    assertThat(auth.sign(odd, new byte[0], c).headers().toMultimap())
        .isEqualTo(auth.sdkSign(odd, new byte[0], c).headers().toMultimap());
  }

  static Stream<String> suiteCases() throws IOException {
    try (Stream<Path> dirs = Files.list(Fixtures.path("aws-sigv4/v4"))) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  /** The key derivation and signature of every case of the official suite, from its string to sign. */
  @ParameterizedTest(name = "v4/{0}")
  @MethodSource("suiteCases")
  void signatureReproducesTheOfficialSuite(String name) throws IOException {
    Path dir = Fixtures.path("aws-sigv4/v4/" + name);
    JsonNode context = ProviderTestKit.objectMapper().readTree(Files.readString(dir.resolve("context.json")));
    String stringToSign = Files.readString(dir.resolve("header-string-to-sign.txt")).stripTrailing();
    String[] lines = stringToSign.split("\n");
    String date = lines[2].substring(0, 8);
    assertThat(lines[1]).startsWith(date);
    assertThat(SigV4.signature(context.path("credentials").path("secret_access_key").asText(), date,
        context.path("region").asText(), context.path("service").asText(), stringToSign))
        .isEqualTo(Files.readString(dir.resolve("header-signature.txt")).strip());
  }

  @Test
  void amzDateIsUtcToTheSecond() {
    assertThat(SigV4.amzDate(Instant.parse("2026-03-04T05:06:07.999Z"))).isEqualTo("20260304T050607Z");
    assertThat(SigV4.amzDate(Instant.parse("0999-12-31T23:59:59Z"))).isEqualTo("09991231T235959Z");
  }

  private static BedrockSigner authenticator(Clock clock) {
    BedrockSettings settings = BedrockSettings.parse(Bedrock.deployment("d").region("us-east-1")
        .endpoint("https://bedrock-runtime.us-east-1.amazonaws.com")
        .staticCredentials(Secret.of(ACCESS), Secret.of(SECRET)).build(), false, n -> null);
    return new BedrockSigner(settings, clock, "d", Runnable::run);
  }
}
