package dev.switchboard.azure;

import dev.switchboard.ChatResponse;
import dev.switchboard.openai.ExtraFields;
import java.util.Map;

/**
 * Benchmark access to provider-azure's package-private content-filter collector, which the
 * provider hands to the OpenAI codec for every Azure response and stream. Lives in the provider's
 * test sources and reaches the benchmarks through a test-jar holding only this class.
 */
public final class AzureCodecAccess {
  private AzureCodecAccess() {}

  /** A fresh collector for one response or stream. */
  public static ExtraFields newFilters() {
    return new AzureFilters();
  }

  /** The typed metadata a collector gathered (what the provider adds to the response). */
  public static Map<String, Object> metadata(ExtraFields filters) {
    return ((AzureFilters) filters).metadata();
  }

  /** Adds a collector's metadata to a response, as the provider does. */
  public static ChatResponse.Builder addMetadata(ChatResponse.Builder b, ExtraFields filters) {
    metadata(filters).forEach(b::metadata);
    return b;
  }
}
