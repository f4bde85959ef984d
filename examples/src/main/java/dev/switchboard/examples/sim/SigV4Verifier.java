package dev.switchboard.examples.sim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way AWS does: it rebuilds
 * the canonical request from what arrived on the wire (path encoded once more, as for every
 * service but S3; query sorted; the signed headers trimmed), derives the signing key from the
 * known secret, recomputes the signature and compares. It is written from the specification,
 * independently of the AWS SDK signer, so a provider signed with the SDK is checked by a second
 * implementation; the official test suite in the fixtures checks this one.
 */
public final class SigV4Verifier {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final HexFormat HEX = HexFormat.of();

  private final Credentials credentials;
  private final String region;
  private final String service;
  private final Clock clock;

  /** Static credentials; {@code sessionToken} may be null. toString() hides the secret. */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public Credentials {
      Objects.requireNonNull(accessKeyId, "accessKeyId == null");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey == null");
    }

    @Override
    public String toString() {
      return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***" + (sessionToken == null ? "" : ", sessionToken=***") + "]";
    }
  }

  /** Why a request was refused: the AWS error type (for {@code x-amzn-ErrorType}) and message. */
  public record Rejection(String errorType, String message) {}

  public SigV4Verifier(Credentials credentials, String region, String service, Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials == null");
    this.region = Objects.requireNonNull(region, "region == null");
    this.service = Objects.requireNonNull(service, "service == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /**
   * Verifies one request.
   *
   * @param rawPath the path exactly as it arrived (still percent-encoded)
   * @param rawQuery the query as it arrived, or null
   * @param headers every header (names in any case; values in arrival order)
   * @return empty when the signature is valid
   */
  public Optional<Rejection> verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    Map<String, List<String>> h = lowerCase(headers);
    String authorization = first(h, "authorization");
    if (authorization == null) return reject("MissingAuthenticationTokenException", "Missing Authentication Token");
    if (!authorization.startsWith(ALGORITHM + " ")) {
      return reject("IncompleteSignatureException", "Unsupported authorization type (expected " + ALGORITHM + ")");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String p : authorization.substring(ALGORITHM.length() + 1).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      return reject("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !scope[4].equals("aws4_request")) {
      return reject("IncompleteSignatureException", "Credential must be <key>/<date>/<region>/<service>/aws4_request");
    }
    if (!scope[0].equals(credentials.accessKeyId())) {
      return reject("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!scope[2].equals(region)) return reject("InvalidSignatureException", "Credential should be scoped to a valid region.");
    if (!scope[3].equals(service)) {
      return reject("InvalidSignatureException", "Credential should be scoped to correct service: '" + service + "'.");
    }
    String amzDate = first(h, "x-amz-date");
    Instant signedAt;
    try {
      signedAt = LocalDateTime.parse(amzDate == null ? "" : amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return reject("IncompleteSignatureException", "X-Amz-Date header is missing or not in yyyyMMdd'T'HHmmss'Z' form");
    }
    if (!amzDate.startsWith(scope[1])) {
      return reject("InvalidSignatureException", "Date in Credential scope does not match X-Amz-Date");
    }
    Duration skew = Duration.between(signedAt, clock.instant()).abs();
    if (skew.compareTo(MAX_SKEW) > 0) {
      return reject("InvalidSignatureException", "Signature expired: " + amzDate + " is more than 5 minutes away from the server time");
    }
    List<String> names = List.of(signedHeaders.split(";"));
    if (!names.contains("host")) return reject("InvalidSignatureException", "'Host' must be a signed header");
    for (String name : names) {
      if (!h.containsKey(name)) return reject("InvalidSignatureException", "Signed header '" + name + "' is missing from the request");
    }
    if (credentials.sessionToken() != null && !credentials.sessionToken().equals(first(h, "x-amz-security-token"))) {
      return reject("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String bodyHash = HEX.formatHex(sha256(body));
    String contentSha = first(h, "x-amz-content-sha256");
    if (contentSha != null && !contentSha.equals("UNSIGNED-PAYLOAD") && !contentSha.equals(bodyHash)) {
      return reject("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    String canonical = canonicalRequest(method, rawPath, rawQuery, h, names, contentSha != null ? contentSha : bodyHash);
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope[1] + "/" + region + "/" + service + "/aws4_request\n"
        + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] expected = HEX.formatHex(hmac(signingKey(scope[1]), stringToSign)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
      return reject("InvalidSignatureException", "The request signature we calculated does not match the signature you provided."
          + " Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }
    return Optional.empty();
  }

  /** The canonical request of SigV4 (package-private for the test-suite test). */
  static String canonicalRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> lowerCaseHeaders,
      List<String> signedHeaders, String payloadHash) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append('\n');
    sb.append(canonicalPath(rawPath)).append('\n');
    sb.append(canonicalQuery(rawQuery)).append('\n');
    for (String name : signedHeaders) {
      List<String> values = new ArrayList<>();
      for (String v : lowerCaseHeaders.get(name)) values.add(v.trim().replaceAll("\\s+", " "));
      sb.append(name).append(':').append(String.join(",", values)).append('\n');
    }
    sb.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
    return sb.toString();
  }

  private static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) return "/";
    // Every service but S3 encodes the already-encoded path once more.
    StringBuilder sb = new StringBuilder();
    String[] segments = rawPath.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) sb.append('/');
      sb.append(encode(segments[i]));
    }
    return sb.toString();
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) return "";
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String key = encode(Wire.decodeSegment(eq < 0 ? pair : pair.substring(0, eq)));
      String value = eq < 0 ? "" : encode(Wire.decodeSegment(pair.substring(eq + 1)));
      sorted.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    List<String> out = new ArrayList<>();
    sorted.forEach((k, values) -> values.stream().sorted().forEach(v -> out.add(k + "=" + v)));
    return String.join("&", out);
  }

  /** RFC 3986 encoding as SigV4 defines it: only unreserved characters stay. */
  static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private byte[] signingKey(String date) {
    byte[] k = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new TreeMap<>();
    headers.forEach((k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
    return out;
  }

  private static String first(Map<String, List<String>> h, String name) {
    List<String> v = h.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static Optional<Rejection> reject(String type, String message) {
    return Optional.of(new Rejection(type, message));
  }
}
