package dev.switchboard.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpErrors;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.OpenAiError;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import okhttp3.Headers;

/**
 * Azure's refinements of the OpenAI error mapping. The OpenAI codec classifies by status and
 * code; on top of that: a 400 with code {@code content_filter} names the filtered categories from
 * {@code innererror.content_filter_result}; a 429 whose Retry-After is longer than the
 * deployment's threshold is QUOTA_EXCEEDED (Azure says 86 400 s when a daily quota is gone, and
 * routing should leave at once rather than wait); codes {@code unknown_model} and
 * {@code DeploymentNotFound} are NOT_FOUND whatever the status; {@code apim-request-id} is the request id; the
 * serving region and deployment travel on the {@link AzureOpenAiException}.
 */
final class AzureErrors {
  private final OpenAiCodec codec;
  private final Duration quotaThreshold;

  AzureErrors(OpenAiCodec codec, Duration quotaThreshold) {
    this.codec = codec;
    this.quotaThreshold = quotaThreshold;
  }

  /** The exception for a non-2xx response whose headers nothing else reads. */
  AzureOpenAiException http(int status, Headers headers, byte[] body, ErrorContext ctx, Collection<Secret> secrets) {
    return http(status, headers, AzureResponseInfo.from(headers), body, ctx, secrets);
  }

  /** The exception for a non-2xx response, with its headers' {@link AzureResponseInfo} parsed by the caller. */
  AzureOpenAiException http(int status, Headers headers, AzureResponseInfo info, byte[] body, ErrorContext ctx, Collection<Secret> secrets) {
    Optional<OpenAiError> error = codec.parseError(body);
    ErrorKind kind = OpenAiCodec.errorKind(status, error);
    // The v1 surface answers a deployment name it does not know with 400 unknown_model: the
    // target lacks the model, which another target may have, as with a 404.
    if (error.flatMap(OpenAiError::code).filter(c -> c.equals("unknown_model") || c.equals("DeploymentNotFound")).isPresent()) {
      kind = ErrorKind.NOT_FOUND;
    }
    SwitchboardException base = codec.httpErrorBuilder(kind, status, headers, body, error, ctx, secrets).build();
    String detail = base.detail();
    ContentFilterResults filter = null;
    if (kind == ErrorKind.CONTENT_FILTERED) {
      JsonNode inner = error.map(OpenAiError::details).map(d -> d.path("innererror")).orElse(null);
      filter = FilterJson.results(inner == null ? null : inner.path("content_filter_result"));
      String what = error.flatMap(OpenAiError::param).filter("prompt"::equals).isPresent() ? "the prompt" : "the content";
      String categories = filter.describeFiltered();
      detail = "Azure's content filter blocked " + what
          + (categories.isEmpty() ? "" : " for " + categories) + ": " + detail;
    } else if (kind == ErrorKind.RATE_LIMITED && base.retryAfter().filter(d -> d.compareTo(quotaThreshold) > 0).isPresent()) {
      kind = ErrorKind.QUOTA_EXCEEDED;
      detail = "Retry-After of " + base.retryAfter().get().toSeconds() + " s is longer than the quota threshold of "
          + quotaThreshold.toSeconds() + " s, so the quota counts as exhausted: " + detail;
    }
    AzureOpenAiException.Builder b = copy(base, kind, withRegion(detail, info), info);
    info.bestRequestId().ifPresent(b::requestId);
    b.contentFilterResults(filter);
    return b.build();
  }

  /** {@code e} (a stream or decoding failure) with what the response headers said. */
  static AzureOpenAiException wrap(SwitchboardException e, AzureResponseInfo info) {
    if (e instanceof AzureOpenAiException a) return a;
    AzureOpenAiException.Builder b = copy(e, e.kind(), withRegion(e.detail(), info), info);
    if (e.requestId().isEmpty()) info.bestRequestId().ifPresent(b::requestId);
    return b.build();
  }

  private static AzureOpenAiException.Builder copy(SwitchboardException e, ErrorKind kind, String detail, AzureResponseInfo info) {
    AzureOpenAiException.Builder b = AzureOpenAiException.builder(e, info);
    b.kind(kind).message(detail);
    return b;
  }

  private static String withRegion(String detail, AzureResponseInfo info) {
    if (info.region().isEmpty()) return detail;
    return detail + " (Azure region " + HttpErrors.field(info.region().get(), List.of())
        + info.deploymentName().map(d -> ", deployment " + HttpErrors.field(d, List.of())).orElse("") + ")";
  }
}
