package dev.switchboard.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Azure's content-filter JSON into the public records. Lenient: a category whose value is
 * not an object is skipped, missing flags read as false, so a new category or field Azure adds
 * does not break a response that was otherwise fine.
 */
final class FilterJson {
  private FilterJson() {}

  /** {@code content_filter_results} of a choice, or {@code innererror.content_filter_result}. */
  static ContentFilterResults results(JsonNode node) {
    if (node == null || !node.isObject()) return ContentFilterResults.EMPTY;
    Map<String, ContentFilterResult> categories = new LinkedHashMap<>();
    Optional<String> error = Optional.empty();
    for (var e : node.properties()) {
      JsonNode v = e.getValue();
      if (e.getKey().equals("error")) {
        error = Optional.of(v.isObject() && v.hasNonNull("code") ? v.get("code").asText() : v.toString());
      } else if (v.isObject()) {
        categories.put(e.getKey(), category(v));
      } else if (v.isArray()) {
        // Older API versions send custom_blocklists as a bare list of {id, filtered}.
        List<String> ids = blocklists(v);
        categories.put(e.getKey(), new ContentFilterResult(!ids.isEmpty(), Optional.empty(), Optional.empty(), ids));
      }
    }
    return new ContentFilterResults(categories, error);
  }

  /** {@code prompt_filter_results}: a list of {@code {prompt_index, content_filter_results}}. */
  static PromptFilterResults prompts(JsonNode node) {
    List<PromptFilterResults.Entry> entries = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode p : node) {
        if (!p.isObject()) continue;
        JsonNode results = p.has("content_filter_results") ? p.get("content_filter_results") : p.get("content_filter_result");
        entries.add(new PromptFilterResults.Entry(p.path("prompt_index").asInt(0), results(results)));
      }
    }
    return new PromptFilterResults(entries);
  }

  private static ContentFilterResult category(JsonNode v) {
    Optional<String> severity = v.hasNonNull("severity") ? Optional.of(v.get("severity").asText()) : Optional.empty();
    Optional<Boolean> detected = v.has("detected") && v.get("detected").isBoolean()
        ? Optional.of(v.get("detected").asBoolean()) : Optional.empty();
    List<String> ids = v.has("details") ? blocklists(v.get("details")) : List.of();
    return new ContentFilterResult(v.path("filtered").asBoolean(false), severity, detected, ids);
  }

  private static List<String> blocklists(JsonNode list) {
    List<String> ids = new ArrayList<>();
    if (list.isArray()) {
      for (JsonNode d : list) {
        if (d.path("filtered").asBoolean(false) && d.hasNonNull("id")) ids.add(d.get("id").asText());
      }
    }
    return ids;
  }
}
