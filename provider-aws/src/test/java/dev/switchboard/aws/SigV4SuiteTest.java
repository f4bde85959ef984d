package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.aws.testing.SigV4Checker;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the test-side SigV4 checker against the official AWS suite (header-signing variants):
 * for every case it must reproduce the canonical request, the string to sign and the signature
 * exactly. The provider's WireMock tests then trust this checker to verify what was sent.
 */
class SigV4SuiteTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  static Stream<String> v4Cases() throws IOException {
    try (Stream<Path> dirs = Files.list(Fixtures.path("aws-sigv4/v4"))) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "v4/{0}")
  @MethodSource("v4Cases")
  void checkerReproducesTheOfficialSuite(String name) throws IOException {
    Path dir = Fixtures.path("aws-sigv4/v4/" + name);
    JsonNode context = ProviderTestKit.objectMapper().readTree(Files.readString(dir.resolve("context.json")));
    assertThat(context.path("credentials").path("secret_access_key").asText()).isEqualTo(SECRET);
    SigV4Checker.HttpRequest signed = SigV4Checker.parseSuiteRequest(Files.readString(dir.resolve("header-signed-request.txt")));
    SigV4Checker.Result result = SigV4Checker.verify(signed, SECRET, context.path("normalize").asBoolean(true));

    assertThat(result.canonicalRequest()).isEqualTo(Files.readString(dir.resolve("header-canonical-request.txt")).stripTrailing());
    assertThat(result.stringToSign()).isEqualTo(Files.readString(dir.resolve("header-string-to-sign.txt")).stripTrailing());
    assertThat(result.computedSignature()).isEqualTo(Files.readString(dir.resolve("header-signature.txt")).strip());
    assertThat(result.valid()).isTrue();
    assertThat(result.region()).isEqualTo(context.path("region").asText());
    assertThat(result.service()).isEqualTo(context.path("service").asText());
  }

  static Stream<Path> botocoreCases() throws IOException {
    try (Stream<Path> files = Files.walk(Fixtures.path("aws-sigv4/botocore-aws4_testsuite"))) {
      return files.filter(p -> p.toString().endsWith(".sreq")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "botocore/{0}")
  @MethodSource("botocoreCases")
  void checkerReproducesTheClassicSuite(Path sreq) throws IOException {
    String base = sreq.toString().substring(0, sreq.toString().length() - ".sreq".length());
    SigV4Checker.HttpRequest signed = SigV4Checker.parseSuiteRequest(Files.readString(sreq));
    SigV4Checker.Result result = SigV4Checker.verify(signed, SECRET, true);
    assertThat(result.canonicalRequest()).isEqualTo(Files.readString(Path.of(base + ".creq")).replace("\r\n", "\n").stripTrailing());
    assertThat(result.stringToSign()).isEqualTo(Files.readString(Path.of(base + ".sts")).replace("\r\n", "\n").stripTrailing());
    // The .authz file is the expected result; one .sreq (get-vanilla-with-session-token) carries a stale signature.
    String authz = Files.readString(Path.of(base + ".authz")).strip();
    assertThat(authz).endsWith("Signature=" + result.computedSignature());
  }

  @org.junit.jupiter.api.Test
  void aTamperedRequestFailsVerification() throws IOException {
    Path dir = Fixtures.path("aws-sigv4/v4/post-vanilla");
    SigV4Checker.HttpRequest signed = SigV4Checker.parseSuiteRequest(Files.readString(dir.resolve("header-signed-request.txt")));
    SigV4Checker.HttpRequest moved = new SigV4Checker.HttpRequest(signed.method(), "/other", signed.headers(), signed.body());
    assertThat(SigV4Checker.verify(moved, SECRET, true).valid()).isFalse();
    SigV4Checker.HttpRequest encoded = new SigV4Checker.HttpRequest(signed.method(), "/%2F", signed.headers(), signed.body());
    assertThat(SigV4Checker.verify(encoded, SECRET, true).valid()).isFalse();
    assertThat(SigV4Checker.verify(signed, "wrong", true).valid()).isFalse();
    assertThat(List.of(SigV4Checker.verify(signed, SECRET, true).valid())).containsExactly(true);
  }
}
