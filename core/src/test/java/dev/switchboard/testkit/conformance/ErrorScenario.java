package dev.switchboard.testkit.conformance;

import dev.switchboard.ErrorKind;

/**
 * The HTTP failures every provider must classify the same way. Each provider stages the status
 * with its own error body shape; the suite asserts the kind (and Retry-After for 429).
 */
public enum ErrorScenario {
  BAD_REQUEST(400, ErrorKind.INVALID_REQUEST),
  UNAUTHORIZED(401, ErrorKind.AUTHENTICATION),
  FORBIDDEN(403, ErrorKind.PERMISSION),
  NOT_FOUND(404, ErrorKind.NOT_FOUND),
  /** 429 with {@code Retry-After: 2}: the suite asserts a 2 s retryAfter. */
  RATE_LIMITED(429, ErrorKind.RATE_LIMITED),
  SERVER_ERROR(500, ErrorKind.SERVER_ERROR),
  BAD_GATEWAY(502, ErrorKind.UNAVAILABLE),
  UNAVAILABLE(503, ErrorKind.UNAVAILABLE),
  GATEWAY_TIMEOUT(504, ErrorKind.UNAVAILABLE);

  public final int status;
  public final ErrorKind kind;

  ErrorScenario(int status, ErrorKind kind) {
    this.status = status;
    this.kind = kind;
  }
}
