package dev.switchboard.examples.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's SigV4 check on the official AWS signing test suite (aws-c-auth v4 vectors):
 * every signed request that needs no path normalisation must verify, and any change to it must not.
 */
class SigV4VerifierTest {

  /** One suite case: its signed request, parsed. */
  record Case(String name, JsonNode context, String method, String rawPath, String rawQuery,
      Map<String, List<String>> headers, byte[] body) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> suite() throws IOException {
    Path dir = Fixtures.path("aws-sigv4/v4");
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path c : list.sorted().toList()) {
        String signed = Files.readString(c.resolve("header-signed-request.txt"), StandardCharsets.UTF_8);
        Case parsed = parse(c.getFileName().toString(), Wire.JSON.readTree(c.resolve("context.json").toFile()), signed);
        if (parsed != null) cases.add(parsed);
      }
    }
    assertThat(cases).hasSizeGreaterThan(20);
    return cases.stream();
  }

  /** Parses a signed request; null for cases outside what a server sees from an HTTP client (dot segments, folded headers). */
  static Case parse(String name, JsonNode context, String text) {
    int split = text.indexOf("\n\n");
    String head = split < 0 ? text : text.substring(0, split);
    byte[] body = split < 0 ? new byte[0] : text.substring(split + 2).getBytes(StandardCharsets.UTF_8);
    String[] lines = head.split("\n");
    String requestLine = lines[0];
    String method = requestLine.substring(0, requestLine.indexOf(' '));
    String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    if (path.contains("/.") || path.contains("//")) return null;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].contains(":")) return null; // a folded (multi-line) header value
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon), k -> new ArrayList<>()).add(lines[i].substring(colon + 1));
    }
    return new Case(name, context, method, path, query, headers, body);
  }

  static SigV4Verifier verifier(JsonNode context, Duration offset) {
    JsonNode creds = context.path("credentials");
    return new SigV4Verifier(new SigV4Verifier.Credentials(creds.path("access_key_id").asText(),
        creds.path("secret_access_key").asText(), creds.hasNonNull("token") ? creds.get("token").asText() : null),
        context.path("region").asText(), context.path("service").asText(),
        Clock.fixed(Instant.parse(context.path("timestamp").asText()).plus(offset), ZoneOffset.UTC));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("suite")
  void verifiesTheOfficialSignedRequest(Case c) {
    assertThat(verifier(c.context(), Duration.ZERO).verify(c.method(), c.rawPath(), c.rawQuery(), c.headers(), c.body())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("suite")
  void rejectsTheSameRequestWithAnotherMethodOrBody(Case c) {
    SigV4Verifier v = verifier(c.context(), Duration.ZERO);
    assertThat(v.verify(c.method().equals("GET") ? "POST" : "GET", c.rawPath(), c.rawQuery(), c.headers(), c.body()))
        .hasValueSatisfying(r -> assertThat(r.errorType()).isEqualTo("InvalidSignatureException"));
    assertThat(v.verify(c.method(), c.rawPath(), c.rawQuery(), c.headers(), "x".getBytes(StandardCharsets.UTF_8))).isPresent();
  }

  @Test
  void buildsTheSuitesCanonicalRequest() throws IOException {
    Path dir = Fixtures.path("aws-sigv4/v4/get-vanilla-query-order-encoded");
    Case c = parse("x", Wire.JSON.readTree(dir.resolve("context.json").toFile()),
        Files.readString(dir.resolve("header-signed-request.txt"), StandardCharsets.UTF_8));
    Map<String, List<String>> lower = new java.util.TreeMap<>();
    c.headers().forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
    String expected = Files.readString(dir.resolve("header-canonical-request.txt"), StandardCharsets.UTF_8);
    assertThat(SigV4Verifier.canonicalRequest("GET", c.rawPath(), c.rawQuery(), lower, List.of("host", "x-amz-date"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")).isEqualTo(expected.strip());
  }

  @Test
  void rejectsASignatureOlderThanFiveMinutes() throws IOException {
    Path dir = Fixtures.path("aws-sigv4/v4/get-vanilla");
    JsonNode context = Wire.JSON.readTree(dir.resolve("context.json").toFile());
    Case c = parse("get-vanilla", context, Files.readString(dir.resolve("header-signed-request.txt"), StandardCharsets.UTF_8));
    assertThat(verifier(context, Duration.ofMinutes(4)).verify(c.method(), c.rawPath(), c.rawQuery(), c.headers(), c.body())).isEmpty();
    assertThat(verifier(context, Duration.ofMinutes(6)).verify(c.method(), c.rawPath(), c.rawQuery(), c.headers(), c.body()))
        .hasValueSatisfying(r -> assertThat(r.message()).startsWith("Signature expired"));
  }

  @Test
  void credentialsNeverShowTheSecret() {
    assertThat(new SigV4Verifier.Credentials("AKID", "s3cr3t", "t0k3n").toString()).doesNotContain("s3cr3t", "t0k3n");
  }
}
