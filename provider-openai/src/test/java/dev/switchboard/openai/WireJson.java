package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.testing.ProviderTestKit;

/** Small JSON helpers for staging wire bodies in tests. */
final class WireJson {
  private WireJson() {}

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    try {
      return ProviderTestKit.objectMapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
