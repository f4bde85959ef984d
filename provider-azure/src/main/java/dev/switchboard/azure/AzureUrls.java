package dev.switchboard.azure;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * Builds the request URLs of one deployment. Azure deployment names become single
 * percent-encoded path segments (OkHttp's {@code addPathSegment}), so a name can never add path
 * segments or a query; {@code .} and {@code ..}, which URL resolution would swallow, are refused.
 */
final class AzureUrls {
  /** Deployment names come from the targets, a handful per resource; the cap guards the rest. */
  private static final int MAX_CACHED = 256;

  private final HttpUrl endpoint;
  private final UrlStyle style;
  private final String apiVersion;
  /**
   * URLs built once per deployment name: OkHttp's URL builder re-encodes and checks every
   * segment and the query, a measurable share of a call on a fast network.
   */
  private final Map<String, HttpUrl> chatUrls = new ConcurrentHashMap<>();
  private final Map<String, HttpUrl> embeddingUrls = new ConcurrentHashMap<>();
  private final Map<String, HttpUrl> responsesUrls = new ConcurrentHashMap<>();

  AzureUrls(AzureSettings settings) {
    this.endpoint = settings.endpoint();
    this.style = settings.urlStyle();
    this.apiVersion = settings.apiVersion().orElse(null);
  }

  HttpUrl chat(String deploymentName) {
    return cached(chatUrls, deploymentName, "chat", "completions");
  }

  /** The Responses API URL: only on the v1 style, which settings enforce; the deployment name goes in the body. */
  HttpUrl responses(String deploymentName) {
    return cached(responsesUrls, deploymentName, "responses");
  }

  HttpUrl embeddings(String deploymentName) {
    return cached(embeddingUrls, deploymentName, "embeddings");
  }

  private HttpUrl cached(Map<String, HttpUrl> cache, String deploymentName, String... operation) {
    HttpUrl url = cache.get(deploymentName);
    if (url != null) return url;
    url = url(deploymentName, operation); // an invalid name throws and is not kept
    if (cache.size() < MAX_CACHED) cache.put(deploymentName, url);
    return url;
  }

  private HttpUrl url(String deploymentName, String... operation) {
    HttpUrl.Builder b = endpoint.newBuilder().addPathSegment("openai");
    if (style == UrlStyle.V1) {
      b.addPathSegment("v1");
    } else {
      b.addPathSegment("deployments").addPathSegment(checkName(deploymentName));
    }
    for (String segment : operation) b.addPathSegment(segment);
    if (apiVersion != null) b.addQueryParameter("api-version", apiVersion);
    return b.build();
  }

  static String checkName(String deploymentName) {
    if (deploymentName.isBlank() || deploymentName.equals(".") || deploymentName.equals("..")) {
      throw SwitchboardException.of(ErrorKind.INVALID_REQUEST,
          "'" + deploymentName + "' is not a valid Azure deployment name");
    }
    return deploymentName;
  }
}
