package dev.switchboard.azure;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Azure's {@code prompt_filter_results}: the content-filter verdicts on the prompt, one entry per
 * prompt (Chat Completions sends one, index 0).
 */
public record PromptFilterResults(List<Entry> prompts) {

  public PromptFilterResults {
    prompts = List.copyOf(prompts);
  }

  /** The verdicts on prompt number {@code promptIndex}. */
  public record Entry(int promptIndex, ContentFilterResults results) {
    public Entry {
      Objects.requireNonNull(results, "results == null");
    }
  }

  /** The verdicts on the first prompt, the one a chat request has. */
  public Optional<ContentFilterResults> first() {
    return prompts.stream().filter(e -> e.promptIndex() == 0).findFirst().map(Entry::results)
        .or(() -> prompts.stream().findFirst().map(Entry::results));
  }

  /** Whether any prompt was filtered. */
  public boolean filtered() {
    return prompts.stream().anyMatch(e -> e.results().filtered());
  }
}
