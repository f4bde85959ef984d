package dev.switchboard.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Test-side reading of the content-filter verdicts in recorded Azure traffic, with plain Jackson
 * trees, independent of the code under test. The rest of a recorded answer is read by the shared
 * {@link dev.switchboard.openai.testkit.RecordedChat}; Azure adds these fields.
 */
final class RecordedFilters {
  private RecordedFilters() {}

  /** One category's verdict: filtered, and severity or detected when given. */
  record Verdict(boolean filtered, Optional<String> severity, Optional<Boolean> detected) {}

  /** Every prompt's verdicts in the given response bodies or stream chunks, merged per category. */
  static Map<String, Verdict> prompts(List<JsonNode> bodies) {
    Map<String, Verdict> out = new TreeMap<>();
    for (JsonNode b : bodies) {
      for (JsonNode p : b.path("prompt_filter_results")) {
        // Azure names it content_filter_result (singular) when the prompt holds an image.
        verdicts(p.has("content_filter_results") ? p.get("content_filter_results") : p.get("content_filter_result"), out);
      }
    }
    return out;
  }

  /** The completion's verdicts in a non-streamed response body (its first choice). */
  static Map<String, Verdict> completion(JsonNode body) {
    return verdicts(body.at("/choices/0").get("content_filter_results"), new TreeMap<>());
  }

  /** Choice 0's verdicts merged over a stream's chunks. */
  static Map<String, Verdict> completionOfChunks(List<JsonNode> chunks) {
    Map<String, Verdict> out = new TreeMap<>();
    for (JsonNode c : chunks) {
      for (JsonNode choice : c.path("choices")) {
        if (choice.path("index").asInt(0) == 0) verdicts(choice.get("content_filter_results"), out);
      }
    }
    return out;
  }

  /** The verdicts of {@code innererror.content_filter_result} in a recorded error body. */
  static Map<String, Verdict> errorVerdicts(JsonNode errorBody) {
    return verdicts(errorBody.at("/error/innererror/content_filter_result"), new TreeMap<>());
  }

  /** Adds {@code node}'s categories to {@code into}: filtered or detected if any part was, the highest severity. */
  private static Map<String, Verdict> verdicts(JsonNode node, Map<String, Verdict> into) {
    if (node == null || !node.isObject()) return into;
    List<String> order = List.of("safe", "low", "medium", "high");
    node.properties().forEach(e -> {
      JsonNode v = e.getValue();
      if (!v.isObject() || e.getKey().equals("error")) return;
      Verdict now = new Verdict(v.path("filtered").asBoolean(false),
          v.hasNonNull("severity") ? Optional.of(v.get("severity").asText()) : Optional.empty(),
          v.has("detected") ? Optional.of(v.get("detected").asBoolean()) : Optional.empty());
      into.merge(e.getKey(), now, (a, b) -> new Verdict(a.filtered() || b.filtered(),
          order.indexOf(b.severity().orElse("")) > order.indexOf(a.severity().orElse("")) ? b.severity() : a.severity(),
          a.detected().isPresent() || b.detected().isPresent()
              ? Optional.of(a.detected().orElse(false) || b.detected().orElse(false)) : Optional.empty()));
    });
    return into;
  }

  /** {@code results} in the shape of {@link Verdict}s, to compare with a recording. */
  static Map<String, Verdict> verdictsOf(ContentFilterResults results) {
    Map<String, Verdict> out = new TreeMap<>();
    results.categories().forEach((k, v) -> out.put(k, new Verdict(v.filtered(), v.severity(), v.detected())));
    return out;
  }

  /** Every prompt's verdicts merged, to compare with {@link #prompts}. */
  static Map<String, Verdict> verdictsOf(PromptFilterResults results) {
    ContentFilterResults merged = ContentFilterResults.EMPTY;
    for (PromptFilterResults.Entry e : results.prompts()) merged = merged.merge(e.results());
    return verdictsOf(merged);
  }
}
