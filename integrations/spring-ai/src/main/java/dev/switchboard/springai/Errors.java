package dev.switchboard.springai;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.util.concurrent.CompletionException;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;

/**
 * Maps a {@link SwitchboardException} onto Spring AI's two exception types by its
 * {@link ErrorKind}: {@code TransientAiException} for kinds where a later try may succeed
 * (rate limited, unavailable, server error, network, timeout), {@code NonTransientAiException}
 * for the rest. The Switchboard exception, with every attempt, stays the cause.
 *
 * <p>Those two types live in {@code spring-ai-retry}, which brings {@code spring-web}; an
 * application without it gets the {@link SwitchboardException} itself (unchecked, with the same
 * kind), rather than a {@code NoClassDefFoundError}.
 *
 * <p>By the time an error reaches Spring AI, Switchboard has already retried and failed over as
 * its policy allows: a Spring {@code RetryTemplate} around the model multiplies attempts, so
 * leave Spring AI's retry off for this model.
 */
final class Errors {
  private static final boolean RETRY_TYPES = present("org.springframework.ai.retry.TransientAiException");

  private Errors() {}

  static RuntimeException map(SwitchboardException e) {
    return RETRY_TYPES ? RetryTypes.map(e) : e;
  }

  /** Anything thrown under a call: Switchboard's mapped, the rest passed on. */
  static RuntimeException map(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
    if (cause instanceof SwitchboardException se) return map(se);
    if (cause instanceof RuntimeException re) return re;
    return new IllegalStateException(cause.toString(), cause);
  }

  /** Whether a later try of the same call may succeed. */
  static boolean isTransient(ErrorKind kind) {
    return switch (kind) {
      case RATE_LIMITED, UNAVAILABLE, SERVER_ERROR, NETWORK, TIMEOUT -> true;
      case AUTHENTICATION, PERMISSION, NOT_FOUND, INVALID_REQUEST, CONTEXT_LENGTH_EXCEEDED, CONTENT_FILTERED,
          QUOTA_EXCEEDED, PROTOCOL, CANCELLED -> false;
    };
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, Errors.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only when spring-ai-retry is on the classpath. */
  private static final class RetryTypes {
    static RuntimeException map(SwitchboardException e) {
      return isTransient(e.kind()) ? new TransientAiException(e.getMessage(), e) : new NonTransientAiException(e.getMessage(), e);
    }
  }
}
