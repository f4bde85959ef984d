package dev.switchboard.http;

import dev.switchboard.HttpSettings;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Validates configured endpoint URLs. Messages show a URL only through
 * {@link HttpErrors#redactUrl(String)}: a password in the userinfo or a key in the query string
 * never reaches an exception.
 */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Parses {@code url} for setting {@code name} of deployment {@code deployment}; it must be
   * {@code https}, or {@code http} to a loopback host, or {@code http} anywhere when
   * {@code allowPlainHttp} is set. Userinfo, a query and a fragment are refused: nothing sends
   * them, and a credential belongs in the deployment's secrets, not in a URL.
   *
   * @throws IllegalArgumentException naming the deployment and setting
   */
  public static HttpUrl parse(String deployment, String name, String url, boolean allowPlainHttp) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
    String where = "deployments." + deployment + "." + name;
    if (parsed == null) throw new IllegalArgumentException(where + ": not an http(s) URL: " + HttpErrors.redactUrl(url));
    String shown = HttpErrors.redactUrl(parsed);
    if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
      throw new IllegalArgumentException(where + ": must not have user info (put credentials in the deployment's secrets): "
          + shown);
    }
    if (parsed.querySize() > 0 || parsed.fragment() != null) {
      throw new IllegalArgumentException(where + ": must not have a query or fragment (put credentials in the deployment's"
          + " secrets): " + shown);
    }
    if (!parsed.isHttps() && !allowPlainHttp && !isLoopback(parsed.host())) {
      // The same check serves files and code, so both spellings of the switch are named.
      throw new IllegalArgumentException(where + ": not an https URL (plain http is allowed only to loopback, unless"
          + " http.allow-plain-http is true in the configuration file, or HttpSettings.withAllowPlainHttp(true) in code): "
          + shown);
    }
    return parsed;
  }

  /** Whether {@code host} names the loopback interface; only literals and localhost count (no DNS lookup). */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) return true;
    if (h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) return true;
    return h.equals("::1") || h.equals("[::1]") || h.equals("0:0:0:0:0:0:0:1");
  }
}
