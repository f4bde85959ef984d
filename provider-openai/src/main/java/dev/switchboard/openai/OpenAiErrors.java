package dev.switchboard.openai;

import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpErrors;
import dev.switchboard.http.RateLimitHeaders;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import okhttp3.Headers;

/** Classifies OpenAI-style errors; reached through {@link OpenAiCodec}. */
final class OpenAiErrors {
  private OpenAiErrors() {}

  static ErrorKind kind(int status, Optional<OpenAiError> error) {
    String code = error.flatMap(OpenAiError::code).orElse("");
    String type = error.flatMap(OpenAiError::type).orElse("");
    // The code is more specific than the status: both of these come with 400 / 429.
    if (code.equals("context_length_exceeded")) return ErrorKind.CONTEXT_LENGTH_EXCEEDED;
    if (code.equals("insufficient_quota") || type.equals("insufficient_quota")) return ErrorKind.QUOTA_EXCEEDED;
    if (isContentPolicy(code) || isContentPolicy(innerCode(error))) return ErrorKind.CONTENT_FILTERED;
    if (status > 0) return HttpErrors.kindForStatus(status);
    // Inside a stream there is no status: classify by what the error object says.
    int numeric = numericCode(code);
    if (numeric >= 400 && numeric < 600) return HttpErrors.kindForStatus(numeric);
    for (String s : new String[] {code, type}) {
      switch (s) {
        case "rate_limit_exceeded", "rate_limit_error", "requests", "tokens" -> {
          return ErrorKind.RATE_LIMITED;
        }
        case "invalid_request_error", "invalid_prompt", "BadRequestError" -> {
          return ErrorKind.INVALID_REQUEST;
        }
        case "authentication_error", "invalid_api_key" -> {
          return ErrorKind.AUTHENTICATION;
        }
        case "permission_error" -> {
          return ErrorKind.PERMISSION;
        }
        case "not_found_error", "model_not_found" -> {
          return ErrorKind.NOT_FOUND;
        }
        case "overloaded_error", "engine_overloaded", "service_unavailable", "server_overloaded" -> {
          return ErrorKind.UNAVAILABLE;
        }
        case "timeout", "timeout_error" -> {
          return ErrorKind.TIMEOUT;
        }
        default -> { }
      }
    }
    // A stream the server broke off with an error it did not classify is its own failure.
    return ErrorKind.SERVER_ERROR;
  }

  /**
   * The codes that mean "refused by a content policy": {@code content_filter} (Azure, and the
   * finish reason's name), {@code content_policy_violation} (OpenAI-compatible servers and
   * OpenAI's image endpoints), {@code image_content_policy_violation} (the OpenAI spec's
   * response error codes) and Azure's {@code innererror.code} {@code ResponsibleAIPolicyViolation}.
   */
  private static boolean isContentPolicy(String code) {
    return switch (code) {
      case "content_filter", "content_policy_violation", "image_content_policy_violation",
          "ResponsibleAIPolicyViolation" -> true;
      default -> false;
    };
  }

  /** Azure's {@code error.innererror.code}, or "". */
  private static String innerCode(Optional<OpenAiError> error) {
    return error.map(e -> e.details().path("innererror").path("code").asText("")).orElse("");
  }

  static SwitchboardException.Builder httpBuilder(
      ErrorKind kind, int status, Headers headers, byte[] body, Optional<OpenAiError> error,
      ErrorContext context, Collection<Secret> secrets, Clock clock) {
    String message;
    if (error.isPresent()) {
      message = describe(error.get(), secrets);
    } else if (body == null || body.length == 0) {
      message = "HTTP " + status + " with an empty body";
    } else if (HttpErrors.looksLikeHtml(body)) {
      message = "HTTP " + status + " with an HTML page (a proxy or gateway error?): " + HttpErrors.snippet(body, secrets);
    } else {
      message = "HTTP " + status + " with a body that is not an OpenAI error: " + HttpErrors.snippet(body, secrets);
    }
    SwitchboardException.Builder b = context.error(kind, message).httpStatus(status);
    error.ifPresent(e -> providerFields(b, e, secrets));
    String requestId = HttpErrors.field(headers.get("x-request-id"), secrets);
    if (requestId != null) b.requestId(requestId);
    HttpErrors.retryAfter(headers, clock).ifPresent(b::retryAfter);
    RateLimitInfo limits = RateLimitHeaders.parse(headers);
    if (limits.isKnown()) b.rateLimit(limits);
    return b;
  }

  static SwitchboardException.Builder streamBuilder(OpenAiError error, ErrorContext context, Collection<Secret> secrets) {
    SwitchboardException.Builder b = context.error(kind(0, Optional.of(error)), "error inside the stream: " + describe(error, secrets));
    return providerFields(b, error, secrets);
  }

  /** The error object's own fields, each scrubbed of {@code secrets}: message, code, type, Azure's innererror.code. */
  private static SwitchboardException.Builder providerFields(SwitchboardException.Builder b, OpenAiError error,
      Collection<Secret> secrets) {
    b.providerMessage(HttpErrors.message(error.message(), secrets));
    error.code().map(c -> HttpErrors.field(c, secrets)).ifPresent(b::providerCode);
    error.type().map(t -> HttpErrors.field(t, secrets)).ifPresent(b::providerType);
    String inner = innerCode(Optional.of(error));
    if (!inner.isEmpty()) b.providerInnerCode(HttpErrors.field(inner, secrets));
    return b;
  }

  private static String describe(OpenAiError error, Collection<Secret> secrets) {
    StringBuilder sb = new StringBuilder(HttpErrors.snippet(error.message(), secrets));
    if (error.type().isPresent() || error.param().isPresent()) {
      sb.append(" (");
      error.type().ifPresent(t -> sb.append("type ").append(HttpErrors.field(t, secrets)));
      error.param().ifPresent(p -> sb.append(error.type().isPresent() ? ", " : "").append("param ").append(HttpErrors.field(p, secrets)));
      sb.append(')');
    }
    return sb.toString();
  }

  private static int numericCode(String code) {
    if (code.isEmpty() || code.length() > 3) return -1;
    for (int i = 0; i < code.length(); i++) {
      if (!Character.isDigit(code.charAt(i))) return -1;
    }
    return Integer.parseInt(code);
  }
}
