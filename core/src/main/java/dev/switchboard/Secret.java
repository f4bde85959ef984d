package dev.switchboard;

import java.util.Objects;

/**
 * A credential (API key, token, secret key). Its {@code toString()} never shows the value;
 * only {@link #reveal()} does, and only code that sends the credential should call it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret value == null");
    if (value.isBlank()) throw new IllegalArgumentException("secret value is blank");
    return new Secret(value);
  }

  /** The secret value itself. Never log it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && java.security.MessageDigest.isEqual(
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8), s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "Secret[****]";
  }
}
