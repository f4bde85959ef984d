package dev.switchboard.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Checks text that is sent as an HTTP header value, such as an API key or a bearer token, before
 * any request is built. OkHttp refuses a bad value with a message that quotes it unless it deems
 * the header sensitive, so a key with a stray line break would otherwise show in an error; the
 * problem named here never includes the value.
 */
public final class HeaderValues {
  private HeaderValues() {}

  /**
   * Why {@code value} cannot be sent as an HTTP header value (only tab and printable ASCII may
   * be), without quoting it; empty when it can be sent.
   */
  public static Optional<String> problem(String value) {
    Objects.requireNonNull(value, "value == null");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\t' || (c >= 0x20 && c < 0x7f)) continue;
      String what = c == '\n' || c == '\r' ? "a line break" : c == 0 ? "a NUL character"
          : c < 0x20 || c == 0x7f ? "a control character" : "a non-ASCII character";
      String where = i == value.length() - 1 ? "at its end" : "at position " + (i + 1) + " of " + value.length();
      return Optional.of("contains " + what + " " + where + ", which an HTTP header cannot carry"
          + (c == '\n' || c == '\r' ? " (a copied trailing newline?)" : ""));
    }
    return Optional.empty();
  }
}
