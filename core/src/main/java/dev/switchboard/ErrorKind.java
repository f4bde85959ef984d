package dev.switchboard;

/**
 * Why a call failed, independent of the provider that failed it. Routing and resilience decide
 * on this classification alone, never on message text.
 *
 * <p>{@link #retryableByDefault()} says whether trying the same target again can help;
 * {@link #failoverByDefault()} says whether another target may succeed where this one failed.
 * Both are defaults: routing policy can override them per model alias. This enum is the one
 * default table: {@code RetryPolicy.DEFAULT_RETRY_ON} and {@code FailoverPolicy.DEFAULT_FAILOVER_ON}
 * are read from these flags.
 */
public enum ErrorKind {
  /** The credentials were missing, malformed, expired or rejected (HTTP 401). */
  AUTHENTICATION(false, true),
  /** The credentials are valid but may not use this resource (HTTP 403). */
  PERMISSION(false, true),
  /** The model, deployment or endpoint does not exist (HTTP 404). */
  NOT_FOUND(false, true),
  /** The request itself is wrong; no target will accept it (HTTP 400/422). */
  INVALID_REQUEST(false, false),
  /** The prompt does not fit the model's context window; fails over to a target not known to have a smaller one. */
  CONTEXT_LENGTH_EXCEEDED(false, true),
  /** The provider's content filter refused the prompt or the completion. */
  CONTENT_FILTERED(false, false),
  /**
   * Short-term throttling (HTTP 429); usually carries a Retry-After. Fails over at once while
   * another target can serve; retried on the same target (after its cooldown) only when none can.
   */
  RATE_LIMITED(true, true),
  /** A longer-term quota or budget is exhausted; retrying soon will not help. */
  QUOTA_EXCEEDED(false, true),
  /** The call or attempt ran past its deadline; the silent target is left for the next, not retried. */
  TIMEOUT(false, true),
  /** The service said it is temporarily unavailable (HTTP 502/503/504, model not ready). */
  UNAVAILABLE(true, true),
  /** The provider failed internally (HTTP 500 and similar). */
  SERVER_ERROR(true, true),
  /** The connection could not be made or broke: refused, reset, DNS failure, TLS failure. */
  NETWORK(true, true),
  /** The provider answered with something that does not follow its protocol. */
  PROTOCOL(false, true),
  /** The caller cancelled the call, or closed the stream. */
  CANCELLED(false, false);

  private final boolean retryableByDefault;
  private final boolean failoverByDefault;

  ErrorKind(boolean retryableByDefault, boolean failoverByDefault) {
    this.retryableByDefault = retryableByDefault;
    this.failoverByDefault = failoverByDefault;
  }

  /** Whether repeating the call on the same target may succeed. */
  public boolean retryableByDefault() {
    return retryableByDefault;
  }

  /** Whether the call may succeed on another target. */
  public boolean failoverByDefault() {
    return failoverByDefault;
  }
}
