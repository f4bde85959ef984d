package dev.switchboard.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.switchboard.SwitchboardException;

/**
 * Maps a {@link SwitchboardException} onto LangChain4j's exception tree by its
 * {@link dev.switchboard.ErrorKind}, keeping it as the cause (with every attempt) so callers that
 * know Switchboard can still read the trace.
 *
 * <p>By the time an error reaches LangChain4j Switchboard has already retried and failed over
 * as its policy allows; the retriable/non-retriable split still follows the kind, so a
 * LangChain4j retry around the call behaves as it would with a single provider.
 */
final class Errors {
  private Errors() {}

  static LangChain4jException map(SwitchboardException e) {
    String message = e.getMessage();
    return switch (e.kind()) {
      case AUTHENTICATION, PERMISSION -> new AuthenticationException(message, e);
      case NOT_FOUND -> new ModelNotFoundException(message, e);
      case INVALID_REQUEST, CONTEXT_LENGTH_EXCEEDED -> new InvalidRequestException(message, e);
      case CONTENT_FILTERED -> new ContentFilteredException(message, e);
      case RATE_LIMITED -> new RateLimitException(message, e);
      case TIMEOUT -> new TimeoutException(message, e);
      case SERVER_ERROR -> new InternalServerException(message, e);
      case UNAVAILABLE, NETWORK -> new RetriableException(message, e);
      case QUOTA_EXCEEDED, PROTOCOL, CANCELLED -> new NonRetriableException(message, e);
    };
  }

  /** Anything else thrown under a call, mapped when it is Switchboard's, passed on otherwise. */
  static RuntimeException map(Throwable t) {
    Throwable cause = t;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof SwitchboardException se) return map(se);
    if (cause instanceof IllegalArgumentException iae) return new InvalidRequestException(iae.getMessage(), iae);
    if (cause instanceof RuntimeException re) return re;
    return new LangChain4jException(cause.toString(), cause);
  }
}
