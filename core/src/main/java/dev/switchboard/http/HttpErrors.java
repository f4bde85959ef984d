package dev.switchboard.http;

import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Shared pieces of HTTP error handling: status classification, Retry-After, and making what a
 * server sent safe to put in a message or a log line. Everything a server (or a proxy in
 * between) supplies — bodies, error codes and types, request ids, region names — may echo the
 * credential that was sent, so it goes through {@link #snippet}, {@link #field} or
 * {@link #header} before it reaches an exception, and URLs through {@link #redactUrl}.
 */
public final class HttpErrors {
  private static final int SNIPPET_CHARS = 200;
  private static final Pattern KEY_LIKE = Pattern.compile(
      "(?i)(sk-[A-Za-z0-9_*-]{6,}|bearer\\s+[A-Za-z0-9._~+/=-]{8,}|AKIA[A-Z0-9]{12,}|ASIA[A-Z0-9]{12,})");
  /**
   * {@code api-key=…}, {@code "api-key": "…"}, {@code X-Amz-Signature=…}, a SigV4 Authorization
   * header's {@code Signature=…} and the like: the name stays, the value goes.
   */
  private static final Pattern KEY_ASSIGNMENT = Pattern.compile(
      "(?i)\\b(api[-_]?key|access[-_]?token|x-amz-security-token|x-amz-signature|x-amz-credential|signature)"
          + "(\"?\\s*[=:]\\s*\"?)[^\\s&\",;]+");

  /** How much of an error body is scrubbed before the excerpt is cut from it. */
  private static final int SCRUB_WINDOW_BYTES = 64 * 1024;
  /** Longest server-supplied field (code, type, request id) put into a message. */
  public static final int FIELD_CHARS = 120;
  /** Longest provider error message kept for {@code SwitchboardException.providerMessage()}. */
  public static final int MESSAGE_CHARS = 1000;

  private HttpErrors() {}

  /** The kind an HTTP status means when the body says nothing more specific. */
  public static ErrorKind kindForStatus(int status) {
    return switch (status) {
      case 400, 413, 415, 422 -> ErrorKind.INVALID_REQUEST;
      case 401 -> ErrorKind.AUTHENTICATION;
      case 403 -> ErrorKind.PERMISSION;
      case 404 -> ErrorKind.NOT_FOUND;
      case 408 -> ErrorKind.TIMEOUT;
      case 429 -> ErrorKind.RATE_LIMITED;
      case 502, 503, 504 -> ErrorKind.UNAVAILABLE;
      default -> status >= 500 || status == 409 ? ErrorKind.SERVER_ERROR
          : status >= 400 ? ErrorKind.INVALID_REQUEST : ErrorKind.PROTOCOL;
    };
  }

  /**
   * The server's wait hint: {@code retry-after-ms}, then {@code x-ms-retry-after-ms}, then
   * {@code Retry-After} as seconds or an HTTP date. Negative or unparsable values are ignored.
   */
  public static Optional<Duration> retryAfter(Headers headers, Clock clock) {
    for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
      String ms = headers.get(name);
      if (ms != null) {
        try {
          double v = Double.parseDouble(ms.trim());
          if (v >= 0 && Double.isFinite(v)) return Optional.of(Duration.ofNanos((long) (v * 1_000_000)));
        } catch (NumberFormatException ignored) {
          // fall through to the next header
        }
      }
    }
    String value = headers.get("retry-after");
    if (value == null) return Optional.empty();
    value = value.trim();
    try {
      double seconds = Double.parseDouble(value);
      return seconds >= 0 && Double.isFinite(seconds)
          ? Optional.of(Duration.ofMillis((long) (seconds * 1000))) : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  /**
   * A short, printable excerpt of an error body for exception messages: at most 200 characters,
   * control characters flattened, anything that looks like a key or token masked, and every
   * given secret removed. The body is scrubbed <em>before</em> it is cut, so a credential that
   * straddles the cut is masked whole rather than leaking its first part.
   */
  public static String snippet(byte[] body, Collection<Secret> secrets) {
    if (body == null || body.length == 0) return "(empty body)";
    boolean truncated = body.length > SCRUB_WINDOW_BYTES;
    String text = new String(body, 0, Math.min(body.length, SCRUB_WINDOW_BYTES), StandardCharsets.UTF_8);
    // A token cut by the window's end can't be recognised as a secret: drop it.
    if (truncated) text = text.replaceFirst("\\S+$", "");
    return snippet(text, secrets);
  }

  /** {@link #snippet(byte[], Collection)} for text. */
  public static String snippet(String text, Collection<Secret> secrets) {
    if (text == null || text.isBlank()) return "(empty body)";
    return printable(text, secrets, SNIPPET_CHARS);
  }

  /**
   * A server-supplied field (error type, code, param, request id, …) made safe for a message or
   * a log line: secrets and key-shaped text masked, control characters flattened, at most
   * {@value #FIELD_CHARS} characters. Returns {@code null} for {@code null} or blank input.
   */
  public static String field(String value, Collection<Secret> secrets) {
    if (value == null || value.isBlank()) return null;
    return printable(value, secrets, FIELD_CHARS);
  }

  /**
   * A provider's own error message made safe to keep on an exception: as {@link #field}, but cut
   * at {@value #MESSAGE_CHARS} characters (messages are sentences, and some name the offending
   * parameter and value at length). Returns {@code null} for {@code null} or blank input.
   */
  public static String message(String value, Collection<Secret> secrets) {
    if (value == null || value.isBlank()) return null;
    return printable(value, secrets, MESSAGE_CHARS);
  }

  private static String printable(String text, Collection<Secret> secrets, int max) {
    String s = scrub(text, secrets).replaceAll("[\\p{Cntrl}]+", " ").replaceAll(" {2,}", " ").trim();
    return s.length() > max ? s.substring(0, max) + "…" : s;
  }

  /** Header {@code name} of a response as {@link #field}; empty when absent or blank. */
  public static Optional<String> header(Headers headers, String name, Collection<Secret> secrets) {
    String v = headers.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(field(v.trim(), secrets));
  }

  /**
   * Removes every given secret — as sent, JSON-escaped and URL-encoded, since servers echo it
   * in all three forms — and anything key-shaped from {@code text}.
   */
  public static String scrub(String text, Collection<Secret> secrets) {
    String s = text;
    for (Secret secret : secrets) {
      String v = secret.reveal();
      if (v.length() < 4) continue;
      s = s.replace(v, "****");
      String jsonEscaped = v.replace("\\", "\\\\").replace("/", "\\/").replace("\"", "\\\"");
      if (!jsonEscaped.equals(v)) s = s.replace(jsonEscaped, "****");
      String urlEncoded = URLEncoder.encode(v, StandardCharsets.UTF_8);
      if (!urlEncoded.equals(v)) s = s.replace(urlEncoded, "****");
    }
    s = KEY_LIKE.matcher(s).replaceAll("****");
    return KEY_ASSIGNMENT.matcher(s).replaceAll("$1$2****");
  }

  /**
   * {@code url} as it may appear in a message, {@code toString()} or log: scheme, host, port and
   * path, with any userinfo (a user name can be a token too) and every query value replaced by
   * {@code ****} (query names stay, they help find the setting) and no fragment.
   */
  public static String redactUrl(HttpUrl url) {
    HttpUrl.Builder b = url.newBuilder().fragment(null);
    if (!url.username().isEmpty() || !url.password().isEmpty()) b.username("****").password("");
    for (String name : url.queryParameterNames()) b.setQueryParameter(name, "****");
    return b.build().toString().replace("%2A%2A%2A%2A", "****");
  }

  /**
   * {@link #redactUrl(HttpUrl)} for a URL given as text, which may not parse: then everything
   * after the scheme's {@code //} up to an {@code @} is dropped, and everything from the first
   * {@code ?} or {@code #}, so that neither a password nor a query value can show.
   */
  public static String redactUrl(String url) {
    if (url == null) return "null";
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed != null) return redactUrl(parsed);
    String s = url;
    int cut = indexOfAny(s, '?', '#');
    if (cut >= 0) s = s.substring(0, cut) + (s.charAt(cut) == '?' ? "?****" : "");
    int at = s.lastIndexOf('@');
    if (at >= 0) {
      int start = s.indexOf("//");
      s = (start >= 0 && start < at ? s.substring(0, start + 2) : "") + "****@" + s.substring(at + 1);
    }
    return printable(s, List.of(), FIELD_CHARS);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  /** Whether the body looks like an HTML page (a proxy or gateway error page). */
  public static boolean looksLikeHtml(byte[] body) {
    if (body == null) return false;
    String head = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).stripLeading().toLowerCase(java.util.Locale.ROOT);
    return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<");
  }
}
