package dev.switchboard.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.openai.ExtraFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects Azure's content-filter fields from one response or one stream through the OpenAI
 * codec's {@link ExtraFields} hook: {@code prompt_filter_results} (top level; the first chunk of
 * a stream carries only this, with {@code choices: []}), and per choice
 * {@code content_filter_results} and {@code content_filter_offsets} (annotation-only stream
 * chunks carry these and no delta). None of them produces a stream event; the verdicts of choice
 * 0 are merged across chunks. One instance per response or stream; not thread-safe.
 */
final class AzureFilters implements ExtraFields {
  private final List<PromptFilterResults.Entry> prompts = new ArrayList<>(1);
  private boolean sawPrompts;
  private ContentFilterResults completion = ContentFilterResults.EMPTY;
  private boolean sawCompletion;
  /**
   * The text of the last {@code content_filter_results} of choice 0 merged into
   * {@link #completion} (a stream chunk's; null after a non-streamed body), and the text the
   * decoder offered last, which becomes it once the choice turns out to be 0.
   */
  private String lastCompletionText;
  private String offeredText;
  private long checkedUpTo = -1;

  @Override
  public boolean wants(boolean inChoice, String name) {
    return inChoice
        ? name.equals("content_filter_results") || name.equals("content_filter_offsets")
        // prompt_annotations is the name older preview API versions used.
        : name.equals("prompt_filter_results") || name.equals("prompt_annotations");
  }

  /**
   * A stream chunk's {@code content_filter_results} whose text is that of the verdicts last
   * merged for choice 0: merging them again would change nothing, so the decoder may skip them.
   */
  @Override
  public boolean repeats(String name, String json) {
    return repeats(name, json, 0, json.length());
  }

  /** Compares the span in place: a repeat allocates nothing; only new verdicts are cut out. */
  @Override
  public boolean repeats(String name, String source, int start, int end) {
    if (!name.equals("content_filter_results")) return false;
    String last = lastCompletionText;
    int n = end - start;
    if (last != null && last.length() == n && source.regionMatches(start, last, 0, n)) return true;
    offeredText = source.substring(start, end);
    return false;
  }

  @Override
  public void accept(int choice, String name, JsonNode value) {
    switch (name) {
      case "prompt_filter_results", "prompt_annotations" -> {
        sawPrompts = true;
        prompts.addAll(FilterJson.prompts(value).prompts());
      }
      case "content_filter_results" -> {
        String text = offeredText;
        offeredText = null;
        if (choice != 0) return;
        sawCompletion = true;
        // A stream repeats the same verdicts on chunk after chunk; repeats() lets the decoder skip
        // those by their text, so what arrives here is new.
        lastCompletionText = text;
        completion = completion.merge(FilterJson.results(value));
      }
      case "content_filter_offsets" -> {
        // Asynchronous filtering reports how far the completion has been checked; only the
        // furthest point is kept (the verdicts come in the same chunk's content_filter_results).
        if (choice == 0 && value.has("end_offset")) checkedUpTo = Math.max(checkedUpTo, value.get("end_offset").asLong(-1));
      }
      default -> { }
    }
  }

  /** The furthest completion offset Azure reported as checked, or -1. */
  long checkedUpTo() {
    return checkedUpTo;
  }

  /** The typed metadata under {@link AzureMetadata}'s keys, for what was seen. */
  Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (sawPrompts) m.put(AzureMetadata.PROMPT_FILTER_RESULTS, new PromptFilterResults(prompts));
    if (sawCompletion) m.put(AzureMetadata.CONTENT_FILTER_RESULTS, completion);
    return m;
  }
}
