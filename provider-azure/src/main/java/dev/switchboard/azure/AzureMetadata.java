package dev.switchboard.azure;

import dev.switchboard.ChatResponse;
import java.util.Optional;

/**
 * The keys under which the Azure OpenAI provider puts typed metadata on a {@link ChatResponse}
 * (streamed or not), with typed readers.
 *
 * <ul>
 *   <li>{@value #PROMPT_FILTER_RESULTS} → {@link PromptFilterResults}: Azure's verdicts on the
 *       prompt, when Azure sent them.
 *   <li>{@value #CONTENT_FILTER_RESULTS} → {@link ContentFilterResults}: the verdicts on the
 *       completion (choice 0). For a stream, the verdicts of every chunk and annotation combined
 *       per category (filtered if any part was, the highest severity).
 *   <li>{@value #RESPONSE_INFO} → {@link AzureResponseInfo}: request ids, serving region and
 *       deployment name from the response headers.
 * </ul>
 */
public final class AzureMetadata {
  public static final String PROMPT_FILTER_RESULTS = "azure.prompt_filter_results";
  public static final String CONTENT_FILTER_RESULTS = "azure.content_filter_results";
  public static final String RESPONSE_INFO = "azure.response_info";

  private AzureMetadata() {}

  public static Optional<PromptFilterResults> promptFilterResults(ChatResponse response) {
    return response.metadata(PROMPT_FILTER_RESULTS, PromptFilterResults.class);
  }

  public static Optional<ContentFilterResults> contentFilterResults(ChatResponse response) {
    return response.metadata(CONTENT_FILTER_RESULTS, ContentFilterResults.class);
  }

  public static Optional<AzureResponseInfo> responseInfo(ChatResponse response) {
    return response.metadata(RESPONSE_INFO, AzureResponseInfo.class);
  }
}
