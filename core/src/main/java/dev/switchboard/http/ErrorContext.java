package dev.switchboard.http;

import dev.switchboard.SwitchboardException;

/** The provider type and target name stamped on every error one attempt raises. */
public record ErrorContext(String provider, String target) {
  public SwitchboardException.Builder apply(SwitchboardException.Builder builder) {
    return builder.provider(provider).target(target);
  }

  public SwitchboardException.Builder error(dev.switchboard.ErrorKind kind, String message) {
    return apply(SwitchboardException.builder(kind, message));
  }
}
