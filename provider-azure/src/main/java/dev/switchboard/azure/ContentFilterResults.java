package dev.switchboard.azure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Azure's content-filter verdicts on one text (a prompt, or a completion), by category name in
 * the order Azure sent them. {@code error} holds the code Azure reports when the filter itself
 * could not run (the text then went unchecked).
 */
public record ContentFilterResults(Map<String, ContentFilterResult> categories, Optional<String> error) {

  public static final ContentFilterResults EMPTY = new ContentFilterResults(Map.of(), Optional.empty());

  public ContentFilterResults {
    categories = Collections.unmodifiableMap(new LinkedHashMap<>(categories));
    Objects.requireNonNull(error, "error == null");
  }

  /** The verdict for one category, such as {@code self_harm}. */
  public Optional<ContentFilterResult> category(String name) {
    return Optional.ofNullable(categories.get(name));
  }

  /** The names of the categories that filtered the text. */
  public List<String> filteredCategories() {
    return categories.entrySet().stream().filter(e -> e.getValue().filtered()).map(Map.Entry::getKey).toList();
  }

  /** Whether any category filtered the text. */
  public boolean filtered() {
    return categories.values().stream().anyMatch(ContentFilterResult::filtered);
  }

  /** Combines verdicts on two parts of one text, category by category. */
  public ContentFilterResults merge(ContentFilterResults other) {
    if (other.categories.isEmpty() && other.error.isEmpty()) return this;
    if (categories.isEmpty() && error.isEmpty()) return other;
    Map<String, ContentFilterResult> merged = new LinkedHashMap<>(categories);
    other.categories.forEach((k, v) -> merged.merge(k, v, ContentFilterResult::merge));
    return new ContentFilterResults(merged, error.isPresent() ? error : other.error);
  }

  /** The filtered categories with their severity, e.g. {@code self_harm (severity medium)}, for messages. */
  String describeFiltered() {
    StringBuilder sb = new StringBuilder();
    categories.forEach((k, v) -> {
      if (v.filtered()) sb.append(sb.length() > 0 ? ", " : "").append(k).append(" (").append(v.describe()).append(')');
    });
    return sb.toString();
  }
}
