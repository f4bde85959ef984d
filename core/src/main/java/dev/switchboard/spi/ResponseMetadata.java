package dev.switchboard.spi;

import dev.switchboard.RateLimitInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider learned about a streamed answer besides its events: the reported model and
 * response id, the request id and rate-limit headers, typed metadata and warnings, and the finish
 * reason exactly as the provider sent it (the {@code Finish} event carries only the normalised
 * one), and the service tier that served the answer as the provider named it. Core builds the final {@code ChatResponse} from these and the events.
 */
public record ResponseMetadata(
    String model,
    Optional<String> id,
    Optional<String> requestId,
    Optional<RateLimitInfo> rateLimit,
    Map<String, Object> metadata,
    List<String> warnings,
    Optional<String> rawFinishReason,
    Optional<String> serviceTier) {

  public static final ResponseMetadata EMPTY =
      new ResponseMetadata("", Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), List.of());

  /** Metadata without a raw finish reason. */
  public ResponseMetadata(String model, Optional<String> id, Optional<String> requestId,
      Optional<RateLimitInfo> rateLimit, Map<String, Object> metadata, List<String> warnings) {
    this(model, id, requestId, rateLimit, metadata, warnings, Optional.empty());
  }

  /** Metadata without a service tier. */
  public ResponseMetadata(String model, Optional<String> id, Optional<String> requestId,
      Optional<RateLimitInfo> rateLimit, Map<String, Object> metadata, List<String> warnings, Optional<String> rawFinishReason) {
    this(model, id, requestId, rateLimit, metadata, warnings, rawFinishReason, Optional.empty());
  }

  public ResponseMetadata {
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(requestId, "requestId == null");
    Objects.requireNonNull(rateLimit, "rateLimit == null");
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(rawFinishReason, "rawFinishReason == null");
    Objects.requireNonNull(serviceTier, "serviceTier == null");
  }
}
