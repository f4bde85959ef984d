package dev.switchboard.azure;

import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.openai.ExtraFields;
import dev.switchboard.openai.OpenAiDialect;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import okhttp3.Headers;

/**
 * What Azure changes in reading one OpenAI-format response: {@link AzureErrors} for statuses and
 * for failures of a successful response (region, deployment and {@code apim-request-id} from the
 * headers), {@link AzureFilters} collecting the content-filter fields, and the filter verdicts and
 * {@link AzureResponseInfo} as metadata. One instance per response or stream.
 */
final class AzureDialect implements OpenAiDialect {
  private final AzureErrors errors;
  private final AzureFilters filters = new AzureFilters();
  private Headers parsedHeaders;
  private AzureResponseInfo info;

  AzureDialect(AzureErrors errors) {
    this.errors = errors;
  }

  @Override
  public SwitchboardException httpError(int status, Headers headers, byte[] body, ErrorContext context, Collection<Secret> secrets) {
    return errors.http(status, headers, info(headers), body, context, secrets);
  }

  @Override
  public ExtraFields extraFields() {
    return filters;
  }

  @Override
  public SwitchboardException refine(SwitchboardException error, Headers headers) {
    return AzureErrors.wrap(error, info(headers));
  }

  @Override
  public Optional<String> requestId(Headers headers) {
    return info(headers).bestRequestId();
  }

  @Override
  public Map<String, Object> metadata(Headers headers) {
    Map<String, Object> m = filters.metadata();
    AzureResponseInfo info = info(headers);
    if (!info.isEmpty()) m.put(AzureMetadata.RESPONSE_INFO, info);
    return m;
  }

  /** The response's {@link AzureResponseInfo}, parsed once: the request id and the metadata (or an error) read it each. */
  AzureResponseInfo info(Headers headers) {
    if (headers != parsedHeaders) {
      info = AzureResponseInfo.from(headers);
      parsedHeaders = headers;
    }
    return info;
  }
}
