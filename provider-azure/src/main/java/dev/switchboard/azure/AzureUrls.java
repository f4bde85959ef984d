package dev.switchboard.azure;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.UrlCache;
import okhttp3.HttpUrl;

/**
 * Builds the request URLs of one deployment. Azure deployment names become single
 * percent-encoded path segments (OkHttp's {@code addPathSegment}), so a name can never add path
 * segments or a query; {@code .} and {@code ..}, which URL resolution would swallow, are refused.
 */
final class AzureUrls {
  private final HttpUrl endpoint;
  private final UrlStyle style;
  private final String apiVersion;
  /** URLs built once per deployment name (see {@link UrlCache}). */
  private final UrlCache chatUrls = new UrlCache(name -> url(name, "chat", "completions"));
  private final UrlCache embeddingUrls = new UrlCache(name -> url(name, "embeddings"));
  private final UrlCache responsesUrls = new UrlCache(name -> url(name, "responses"));

  AzureUrls(AzureSettings settings) {
    this.endpoint = settings.endpoint();
    this.style = settings.urlStyle();
    this.apiVersion = settings.apiVersion().orElse(null);
  }

  HttpUrl chat(String deploymentName) {
    return chatUrls.get(deploymentName);
  }

  /** The Responses API URL: only on the v1 style, which settings enforce; the deployment name goes in the body. */
  HttpUrl responses(String deploymentName) {
    return responsesUrls.get(deploymentName);
  }

  HttpUrl embeddings(String deploymentName) {
    return embeddingUrls.get(deploymentName);
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
