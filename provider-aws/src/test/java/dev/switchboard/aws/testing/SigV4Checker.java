package dev.switchboard.aws.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent AWS Signature Version 4 verifier, written from the specification and proven
 * against the official test suite (SigV4SuiteTest). Given a request as it was received — method,
 * path and query exactly as on the wire, headers, body — and the secret key, it recomputes the
 * canonical request, the string to sign and the signature named by the request's
 * {@code Authorization} header. For non-S3 services the path is URI-encoded once more than it
 * appears on the wire, which this does by encoding the received path.
 */
public final class SigV4Checker {
  private static final Pattern AUTH = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

  private SigV4Checker() {}

  /** A received request; header names in any case, repeated headers as repeated entries. */
  public record HttpRequest(String method, String pathAndQuery, List<Map.Entry<String, String>> headers, byte[] body) {
    public List<String> headers(String name) {
      List<String> values = new ArrayList<>();
      for (Map.Entry<String, String> h : headers) {
        if (h.getKey().equalsIgnoreCase(name)) values.add(h.getValue());
      }
      return values;
    }
  }

  /** What the verifier recomputed, and what the request claimed. */
  public record Result(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
      String canonicalRequest, String stringToSign, String computedSignature, String claimedSignature) {
    public boolean valid() {
      return computedSignature.equals(claimedSignature);
    }
  }

  public static Result verify(HttpRequest request, String secretAccessKey, boolean normalizePath) {
    List<String> auth = request.headers("Authorization");
    if (auth.size() != 1) throw new AssertionError("expected one Authorization header, got " + auth.size());
    Matcher m = AUTH.matcher(auth.get(0).trim());
    if (!m.matches()) throw new AssertionError("not a SigV4 Authorization header: " + auth.get(0));
    List<String> signed = List.of(m.group(5).split(";"));
    List<String> amzDate = request.headers("X-Amz-Date");
    if (amzDate.size() != 1) throw new AssertionError("expected one X-Amz-Date header");
    String dateTime = amzDate.get(0).trim();
    if (!dateTime.startsWith(m.group(2))) throw new AssertionError("credential date " + m.group(2) + " != X-Amz-Date " + dateTime);

    String canonical = canonicalRequest(request, signed, normalizePath);
    String scope = m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + dateTime + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), m.group(2));
    key = hmac(key, m.group(3));
    key = hmac(key, m.group(4));
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));
    return new Result(m.group(1), m.group(2), m.group(3), m.group(4), signed, canonical, stringToSign, signature, m.group(6));
  }

  static String canonicalRequest(HttpRequest request, List<String> signedHeaders, boolean normalizePath) {
    String pq = request.pathAndQuery();
    int q = pq.indexOf('?');
    String path = q < 0 ? pq : pq.substring(0, q);
    String query = q < 0 ? "" : pq.substring(q + 1);
    StringBuilder sb = new StringBuilder();
    sb.append(request.method()).append('\n');
    sb.append(canonicalUri(path, normalizePath)).append('\n');
    sb.append(canonicalQuery(query)).append('\n');
    Map<String, List<String>> byName = new TreeMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      byName.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    for (String name : signedHeaders) {
      List<String> values = byName.get(name);
      if (values == null) throw new AssertionError("signed header " + name + " was not received");
      List<String> trimmed = new ArrayList<>();
      for (String v : values) trimmed.add(v.trim().replaceAll("\\s+", " "));
      sb.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    sb.append('\n').append(String.join(";", signedHeaders)).append('\n');
    List<String> declared = request.headers("x-amz-content-sha256");
    sb.append(declared.isEmpty() ? hex(sha256(request.body())) : declared.get(0).trim());
    return sb.toString();
  }

  /** Each segment of the path as received, URI-encoded (again); dot segments and empty segments removed when normalizing. */
  static String canonicalUri(String path, boolean normalize) {
    if (path.isEmpty()) return "/";
    String[] parts = path.split("/", -1);
    List<String> segments = new ArrayList<>();
    if (normalize) {
      Deque<String> stack = new ArrayDeque<>();
      for (int i = 1; i < parts.length; i++) {
        String s = parts[i];
        if (s.isEmpty() || s.equals(".")) continue;
        if (s.equals("..")) {
          if (!stack.isEmpty()) stack.removeLast();
        } else {
          stack.addLast(s);
        }
      }
      segments.addAll(stack);
      String last = parts[parts.length - 1];
      boolean trailing = path.endsWith("/") || last.equals(".") || last.equals("..");
      StringBuilder sb = new StringBuilder();
      for (String s : segments) sb.append('/').append(encode(s));
      if (segments.isEmpty() || trailing) sb.append('/');
      return sb.toString();
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < parts.length; i++) sb.append('/').append(encode(parts[i]));
    return sb.toString();
  }

  static String canonicalQuery(String query) {
    if (query.isEmpty()) return "";
    List<String[]> pairs = new ArrayList<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(new String[] {encode(decode(k)), encode(decode(v))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> out = new ArrayList<>();
    for (String[] p : pairs) out.add(p[0] + "=" + p[1]);
    return String.join("&", out);
  }

  /** RFC 3986 encoding of the UTF-8 bytes: everything but A-Z a-z 0-9 - _ . ~ as %XX. */
  static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~';
      if (unreserved) sb.append((char) c);
      else sb.append('%').append(String.format("%02X", c));
    }
    return sb.toString();
  }

  static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Parses a request in the test suite's text form; continuation lines fold into the previous header. */
  public static HttpRequest parseSuiteRequest(String text) {
    String normalized = text.replace("\r\n", "\n");
    int blank = normalized.indexOf("\n\n");
    String head = blank < 0 ? normalized : normalized.substring(0, blank);
    String body = blank < 0 ? "" : normalized.substring(blank + 2);
    String[] lines = head.split("\n");
    String first = lines[0];
    int sp = first.indexOf(' ');
    int http = first.lastIndexOf(" HTTP/");
    String method = first.substring(0, sp);
    String target = first.substring(sp + 1, http);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) continue;
      if (Character.isWhitespace(line.charAt(0)) && !headers.isEmpty()) {
        Map.Entry<String, String> last = headers.remove(headers.size() - 1);
        headers.add(Map.entry(last.getKey(), last.getValue() + " " + line.trim()));
        continue;
      }
      int colon = line.indexOf(':');
      headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1)));
    }
    return new HttpRequest(method, target, headers, body.getBytes(StandardCharsets.UTF_8));
  }
}
