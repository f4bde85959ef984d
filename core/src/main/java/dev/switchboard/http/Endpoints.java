package dev.switchboard.http;

import java.util.Locale;
import okhttp3.HttpUrl;

/** Validates configured endpoint URLs. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Parses {@code url} for setting {@code name} of deployment {@code deployment}; it must be
   * {@code https}, or {@code http} to a loopback host, or {@code http} anywhere when
   * {@code allowPlainHttp} is set.
   *
   * @throws IllegalArgumentException naming the deployment and setting
   */
  public static HttpUrl parse(String deployment, String name, String url, boolean allowPlainHttp) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
    String where = "deployments." + deployment + "." + name;
    if (parsed == null) throw new IllegalArgumentException(where + ": not an http(s) URL: " + url);
    if (parsed.querySize() > 0 || parsed.fragment() != null) {
      throw new IllegalArgumentException(where + ": must not have a query or fragment: " + url);
    }
    if (!parsed.isHttps() && !allowPlainHttp && !isLoopback(parsed.host())) {
      throw new IllegalArgumentException(where + ": not an https URL (plain http is allowed only to loopback"
          + " unless http.allowPlainHttp is set): " + url);
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
