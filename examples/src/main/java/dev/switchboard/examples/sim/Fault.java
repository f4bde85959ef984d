package dev.switchboard.examples.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated endpoint does to one request instead of answering it normally. Queue faults
 * with {@link SimulatedEndpoint#enqueue}; refusing connections is not a fault of one request but
 * a state of the endpoint ({@link SimulatedEndpoint#refuseConnections()}).
 */
public sealed interface Fault {

  /** HTTP 503 with the provider's own error body. */
  static Fault serviceUnavailable() {
    return new ServiceUnavailable();
  }

  /** HTTP 429 with {@code Retry-After} in whole seconds (at least one). */
  static Fault rateLimited(Duration retryAfter) {
    return new RateLimited(retryAfter);
  }

  /**
   * For a streamed request: the response starts (HTTP 200, stream headers, events that carry no
   * text) and then breaks before the first token. A non-streamed request gets a normal answer.
   */
  static Fault failStreamBeforeFirstToken() {
    return new FailStreamBeforeFirstToken();
  }

  /** See {@link #serviceUnavailable()}. */
  record ServiceUnavailable() implements Fault {}

  /** See {@link #rateLimited(Duration)}. */
  record RateLimited(Duration retryAfter) implements Fault {
    public RateLimited {
      Objects.requireNonNull(retryAfter, "retryAfter == null");
      if (retryAfter.toSeconds() < 1) throw new IllegalArgumentException("retryAfter must be at least 1 s (it is sent in seconds)");
    }

    /** The header value: whole seconds. */
    public long seconds() {
      return retryAfter.toSeconds();
    }
  }

  /** See {@link #failStreamBeforeFirstToken()}. */
  record FailStreamBeforeFirstToken() implements Fault {}
}
