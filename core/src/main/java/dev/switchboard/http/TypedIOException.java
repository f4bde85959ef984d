package dev.switchboard.http;

import dev.switchboard.SwitchboardException;
import java.io.IOException;
import java.util.Objects;

/**
 * An I/O failure that already knows the typed error it stands for. OkHttp lets an interceptor,
 * and a stream a parser reads from, fail only with an {@link IOException}; this one carries the
 * {@link SwitchboardException} through, and {@link HttpCalls#transportError} hands it back as it
 * is instead of classifying it as a network failure.
 */
public class TypedIOException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient SwitchboardException error;

  public TypedIOException(SwitchboardException error) {
    super(Objects.requireNonNull(error, "error == null").detail(), error);
    this.error = error;
  }

  /** The typed error this failure stands for. */
  public SwitchboardException error() {
    return error;
  }
}
