package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.internal.Json;

/** Small JSON helpers for staging wire bodies in tests. */
final class WireJson {
  private WireJson() {}

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    try {
      return Json.mapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
