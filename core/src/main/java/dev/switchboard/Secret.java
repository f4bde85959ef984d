package dev.switchboard;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A credential (API key, token, secret key). Its {@code toString()} never shows the value;
 * only {@link #reveal()} does, and only code that sends the credential should call it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * A secret holding {@code value}.
   *
   * @throws NullPointerException when {@code value} is null (often {@code System.getenv} of a variable
   *     that is not set: {@link #env(String)} says which)
   * @throws IllegalArgumentException when {@code value} is blank
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret value == null (if it came from System.getenv, that variable is not set;"
        + " Secret.env(\"NAME\") reads it and names the variable when it is missing)");
    if (value.isBlank()) throw new IllegalArgumentException("secret value is blank");
    return new Secret(value);
  }

  /**
   * The value of environment variable {@code name}.
   *
   * @throws IllegalArgumentException naming the variable when it is not set or is blank (the
   *     message never holds a value)
   */
  public static Secret env(String name) {
    return env(name, System::getenv);
  }

  static Secret env(String name, UnaryOperator<String> environment) {
    Objects.requireNonNull(name, "name == null");
    String value = environment.apply(name);
    if (value == null) throw new IllegalArgumentException("environment variable " + name + " is not set");
    if (value.isBlank()) throw new IllegalArgumentException("environment variable " + name + " is blank");
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
