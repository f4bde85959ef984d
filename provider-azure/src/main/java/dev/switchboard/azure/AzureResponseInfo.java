package dev.switchboard.azure;

import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;

/**
 * What Azure's response headers say about who served a call: {@code apim-request-id} (the id
 * Azure support asks for), {@code x-request-id}, {@code x-ms-region} (the region that actually
 * served, which differs from the resource's region under global or data-zone deployments) and
 * {@code x-ms-deployment-name}.
 */
public record AzureResponseInfo(
    Optional<String> apimRequestId, Optional<String> requestId, Optional<String> region, Optional<String> deploymentName) {

  public AzureResponseInfo {
    Objects.requireNonNull(apimRequestId, "apimRequestId == null");
    Objects.requireNonNull(requestId, "requestId == null");
    Objects.requireNonNull(region, "region == null");
    Objects.requireNonNull(deploymentName, "deploymentName == null");
  }

  static AzureResponseInfo from(Headers headers) {
    return new AzureResponseInfo(header(headers, "apim-request-id"), header(headers, "x-request-id"),
        header(headers, "x-ms-region"), header(headers, "x-ms-deployment-name"));
  }

  /** The id to quote to Azure support: {@code apim-request-id}, else {@code x-request-id}. */
  public Optional<String> bestRequestId() {
    return apimRequestId.or(() -> requestId);
  }

  boolean isEmpty() {
    return apimRequestId.isEmpty() && requestId.isEmpty() && region.isEmpty() && deploymentName.isEmpty();
  }

  private static Optional<String> header(Headers headers, String name) {
    String v = headers.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}
