package dev.switchboard.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 header signing for the one request shape Bedrock calls have: a POST (or GET) with a body
 * held in memory, no query string, signing {@code content-type}, {@code host},
 * {@code x-amz-content-sha256}, {@code x-amz-date} and, with session credentials,
 * {@code x-amz-security-token} — the headers and values the SDK's {@code AwsV4HttpSigner}
 * produces for service {@code bedrock} ({@code SigV4Test} asserts they are identical). It hashes
 * the body it is given instead of re-reading it through a stream, and keeps what is constant:
 * the credential scope's tail and the signing key (one per secret and day).
 * {@link #supports(String, String)} says which paths it handles; anything else (dot segments,
 * empty segments, a query) goes to the SDK's signer.
 */
final class SigV4 {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  });
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  });

  private final String region;
  private final String service;
  /** "/{region}/{service}/aws4_request". */
  private final String scopeTail;
  private volatile SigningKey key;

  /** The key for one secret on one day (an immutable holder, so a racing reader sees a whole one). */
  private record SigningKey(String secret, String date, byte[] key) {}

  /** The headers to add to the request, in the SDK's spelling. */
  record Signed(String authorization, String amzDate, String contentSha256, String securityToken) {}

  SigV4(String region, String service) {
    this.region = region;
    this.service = service;
    this.scopeTail = "/" + region + "/" + service + "/aws4_request";
  }

  /** Whether this signer's canonical form is the SDK's for this path and query. */
  static boolean supports(String encodedPath, String query) {
    if (query != null || encodedPath.isEmpty() || encodedPath.charAt(0) != '/') return false;
    int from = 1;
    while (from <= encodedPath.length()) {
      int slash = encodedPath.indexOf('/', from);
      int end = slash < 0 ? encodedPath.length() : slash;
      int len = end - from;
      boolean last = slash < 0;
      if (len == 0 && !(last && from == 1)) return false; // "//" or a trailing "/" (normalized by the SDK)
      if (len == 1 && encodedPath.charAt(from) == '.') return false;
      if (len == 2 && encodedPath.charAt(from) == '.' && encodedPath.charAt(from + 1) == '.') return false;
      if (last) break;
      from = slash + 1;
    }
    return true;
  }

  /**
   * Signs a request. {@code host} is the Host header's value (with the port when it is not the
   * scheme's default), {@code contentType} may be null.
   */
  Signed sign(String method, String host, String encodedPath, String contentType, byte[] body,
      String accessKeyId, String secretAccessKey, String sessionToken, Instant now) {
    String amzDate = amzDate(now);
    String date = amzDate.substring(0, 8);
    String payloadHash = hex(sha256(body));
    boolean token = sessionToken != null;
    String signedHeaders = (contentType != null ? "content-type;" : "") + "host;x-amz-content-sha256;x-amz-date"
        + (token ? ";x-amz-security-token" : "");
    StringBuilder c = new StringBuilder(256 + encodedPath.length());
    c.append(method).append('\n');
    canonicalUri(c, encodedPath);
    c.append("\n\n"); // no query
    if (contentType != null) c.append("content-type:").append(trimAll(contentType)).append('\n');
    c.append("host:").append(host).append('\n');
    c.append("x-amz-content-sha256:").append(payloadHash).append('\n');
    c.append("x-amz-date:").append(amzDate).append('\n');
    if (token) c.append("x-amz-security-token:").append(trimAll(sessionToken)).append('\n');
    c.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    String scope = date + scopeTail;
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(c.toString().getBytes(StandardCharsets.UTF_8)));
    String signature = hex(hmac(signingKey(secretAccessKey, date), stringToSign));
    String authorization = ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders
        + ", Signature=" + signature;
    return new Signed(authorization, amzDate, payloadHash, sessionToken);
  }

  /** The signature of a string to sign (the suite's vectors check the key derivation with it). */
  static String signature(String secretAccessKey, String date, String region, String service, String stringToSign) {
    return hex(hmac(deriveKey(secretAccessKey, date, region, service), stringToSign));
  }

  private byte[] signingKey(String secret, String date) {
    SigningKey k = key;
    if (k == null || !k.date.equals(date) || !k.secret.equals(secret)) {
      k = new SigningKey(secret, date, deriveKey(secret, date, region, service));
      key = k;
    }
    return k.key;
  }

  private static byte[] deriveKey(String secret, String date, String region, String service) {
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  /** The path encoded once more, as SigV4 requires for every service but S3. */
  private static void canonicalUri(StringBuilder out, String encodedPath) {
    for (int i = 0; i < encodedPath.length(); i++) {
      char ch = encodedPath.charAt(i);
      if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
          || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == '/') {
        out.append(ch);
      } else {
        byte[] bytes = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(ch) && i + 1 < encodedPath.length()) {
          bytes = encodedPath.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        for (byte b : bytes) {
          out.append('%').append(Character.toUpperCase(HEX[(b >> 4) & 0xF])).append(Character.toUpperCase(HEX[b & 0xF]));
        }
      }
    }
  }

  /** Header value as SigV4 canonicalises it: trimmed, runs of spaces collapsed to one. */
  private static String trimAll(String v) {
    String t = v.strip();
    if (t.indexOf("  ") < 0) return t;
    StringBuilder b = new StringBuilder(t.length());
    char prev = 0;
    for (int i = 0; i < t.length(); i++) {
      char ch = t.charAt(i);
      if (ch == ' ' && prev == ' ') continue;
      b.append(ch);
      prev = ch;
    }
    return b.toString();
  }

  static String amzDate(Instant now) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    char[] d = new char[16];
    put(d, 0, t.getYear(), 4);
    put(d, 4, t.getMonthValue(), 2);
    put(d, 6, t.getDayOfMonth(), 2);
    d[8] = 'T';
    put(d, 9, t.getHour(), 2);
    put(d, 11, t.getMinute(), 2);
    put(d, 13, t.getSecond(), 2);
    d[15] = 'Z';
    return new String(d);
  }

  private static void put(char[] d, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      d[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static byte[] sha256(byte[] data) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(data);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = HMAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 failed", e);
    }
  }

  static String hex(byte[] b) {
    char[] out = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = HEX[(b[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[b[i] & 0xF];
    }
    return new String(out);
  }
}
