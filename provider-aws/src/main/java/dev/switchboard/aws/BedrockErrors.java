package dev.switchboard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpErrors;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import okhttp3.Headers;

/**
 * Classifies Bedrock failures: HTTP error responses (the error name from the
 * {@code x-amzn-ErrorType} header, or {@code __type} in the body) and exception frames inside a
 * ConverseStream (the {@code :exception-type} header). The error name decides the kind; the
 * HTTP status is the fallback when there is no name. The name is the exception's
 * {@code providerCode()} (Bedrock has no separate error type) and the body's {@code message} its
 * {@code providerMessage()}.
 */
final class BedrockErrors {
  private BedrockErrors() {}

  /** The kind a Bedrock error name means, or {@code null} when the name is not one Bedrock documents. */
  static ErrorKind kindForType(String type) {
    if (type == null) return null;
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "throttlingexception" -> ErrorKind.RATE_LIMITED;
      case "servicequotaexceededexception" -> ErrorKind.QUOTA_EXCEEDED;
      case "serviceunavailableexception", "modelnotreadyexception" -> ErrorKind.UNAVAILABLE;
      case "modeltimeoutexception" -> ErrorKind.TIMEOUT;
      case "internalserverexception", "internalfailure", "modelerrorexception", "modelstreamerrorexception" -> ErrorKind.SERVER_ERROR;
      case "validationexception", "serializationexception" -> ErrorKind.INVALID_REQUEST;
      case "accessdeniedexception" -> ErrorKind.PERMISSION;
      case "unrecognizedclientexception", "expiredtokenexception", "invalidsignatureexception",
          "incompletesignatureexception", "missingauthenticationtokenexception", "invalidclienttokenid",
          "signaturedoesnotmatch" -> ErrorKind.AUTHENTICATION;
      case "resourcenotfoundexception", "unknownoperationexception" -> ErrorKind.NOT_FOUND;
      default -> null;
    };
  }

  /** Builds the exception for an HTTP error response with body {@code body}. */
  static SwitchboardException fromResponse(int status, Headers headers, byte[] body, ObjectMapper mapper,
      ErrorContext context, List<Secret> secrets, Clock clock) {
    JsonNode json = parse(mapper, body);
    String type = errorType(headers.get("x-amzn-ErrorType"));
    if (type == null && json != null) {
      type = errorType(text(json.get("__type")));
      if (type == null) type = errorType(text(json.path("Output").get("__type")));
    }
    String message = json == null ? null : text(json.get("message"));
    if (message == null && json != null) message = text(json.get("Message"));
    ErrorKind kind = kindForType(type);
    if (kind == null) kind = status >= 200 && status < 300 ? ErrorKind.PROTOCOL : HttpErrors.kindForStatus(status);
    if (kind == ErrorKind.PERMISSION && message != null && isExpiredToken(message)) kind = ErrorKind.AUTHENTICATION;
    String detail;
    if (message != null) {
      detail = HttpErrors.snippet(message, secrets);
    } else if (HttpErrors.looksLikeHtml(body)) {
      detail = "HTML error page: " + HttpErrors.snippet(body, secrets);
    } else {
      detail = HttpErrors.snippet(body, secrets);
    }
    detail = withAdvice(type, message, detail);
    SwitchboardException.Builder b = context.error(kind, detail)
        .httpStatus(status)
        .providerCode(HttpErrors.field(type, secrets))
        .providerMessage(HttpErrors.message(message, secrets))
        .requestId(HttpErrors.field(headers.get("x-amzn-RequestId"), secrets));
    HttpErrors.retryAfter(headers, clock).ifPresent(b::retryAfter);
    return b.build();
  }

  /** Builds the exception for a {@code :message-type = exception} frame of a ConverseStream. */
  static SwitchboardException fromStreamException(String exceptionType, byte[] payload, ObjectMapper mapper,
      ErrorContext context, List<Secret> secrets, String requestId) {
    JsonNode json = parse(mapper, payload);
    String message = json == null ? null : text(json.get("message"));
    ErrorKind kind = kindForType(exceptionType);
    if (kind == null) kind = ErrorKind.SERVER_ERROR;
    String detail = "in-stream " + HttpErrors.field(exceptionType, secrets) + ": "
        + (message != null ? HttpErrors.snippet(message, secrets) : HttpErrors.snippet(payload, secrets));
    if (json != null && json.hasNonNull("originalStatusCode")) {
      detail += " (model status " + HttpErrors.field(json.get("originalStatusCode").asText(), secrets) + ")";
    }
    return context.error(kind, withAdvice(exceptionType, message, detail))
        .providerCode(HttpErrors.field(exceptionType, secrets))
        .providerMessage(HttpErrors.message(message, secrets))
        .requestId(requestId)
        .build();
  }

  private static String withAdvice(String type, String message, String detail) {
    if (message != null && "ValidationException".equalsIgnoreCase(type)
        && message.toLowerCase(Locale.ROOT).contains("on-demand throughput")) {
      return detail + " — this model cannot be called by its foundation-model id on demand: use an inference"
          + " profile id instead (e.g. prefix the model id with us., eu., apac. or global.) or its ARN";
    }
    return detail;
  }

  private static boolean isExpiredToken(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("security token included in the request is expired") || m.contains("token has expired");
  }

  /** {@code ValidationException:http://internal.amazon.com/...} and {@code com.amazon.coral.service#X} both name {@code X}. */
  static String errorType(String raw) {
    if (raw == null || raw.isBlank()) return null;
    String s = raw.trim();
    int colon = s.indexOf(':');
    if (colon >= 0) s = s.substring(0, colon);
    int hash = s.lastIndexOf('#');
    if (hash >= 0) s = s.substring(hash + 1);
    return s.isBlank() ? null : s;
  }

  private static JsonNode parse(ObjectMapper mapper, byte[] body) {
    if (body == null || body.length == 0) return null;
    try {
      JsonNode node = mapper.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
