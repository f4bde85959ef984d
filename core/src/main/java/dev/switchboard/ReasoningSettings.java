package dev.switchboard;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How much a reasoning model should think before it answers: an {@link Effort}, a token
 * {@code budget}, or neither ({@link #enabled()}: reasoning on, the model decides how much), and
 * optionally the {@link Summary} of its reasoning to return. One setting for every cloud; each
 * provider maps it to its own field and reports what it could not send as a warning on the
 * response:
 * <ul>
 *   <li>Chat Completions (OpenAI, Azure OpenAI, Bedrock's OpenAI endpoint): {@code reasoning_effort};
 *       a budget or summary has no field there (a warning).
 *   <li>Responses API: {@code reasoning.effort} and {@code reasoning.summary}; a budget has no field
 *       (a warning).
 *   <li>Bedrock Converse, by model family in {@code additionalModelRequestFields}: Anthropic
 *       {@code thinking} ({@code enabled} with {@code budget_tokens} for a budget, else
 *       {@code adaptive} with {@code output_config.effort}), OpenAI open-weight models
 *       {@code reasoning_effort}, Qwen {@code reasoning_config}; other families get a warning.
 * </ul>
 * {@link Effort#NONE} turns reasoning off where the provider allows it and cannot be combined with
 * a budget.
 */
public record ReasoningSettings(Optional<Effort> effort, OptionalInt budgetTokens, Optional<Summary> summary) {

  /** Reasoning effort, as OpenAI names its levels; providers with fewer levels take the nearest. */
  public enum Effort {
    NONE, MINIMAL, LOW, MEDIUM, HIGH, XHIGH, MAX;

    /** The name on OpenAI's wire: {@code none}, {@code minimal}, ... */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How much of its reasoning the model should summarise in the response (Responses API). */
  public enum Summary {
    AUTO, CONCISE, DETAILED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ReasoningSettings {
    Objects.requireNonNull(effort, "effort == null");
    Objects.requireNonNull(budgetTokens, "budgetTokens == null");
    Objects.requireNonNull(summary, "summary == null");
    if (budgetTokens.isPresent() && budgetTokens.getAsInt() <= 0) {
      throw new IllegalArgumentException("reasoning budgetTokens " + budgetTokens.getAsInt() + " must be positive");
    }
    if (budgetTokens.isPresent() && effort.equals(Optional.of(Effort.NONE))) {
      throw new IllegalArgumentException("reasoning effort NONE turns reasoning off; it cannot have a budget of "
          + budgetTokens.getAsInt() + " tokens");
    }
  }

  /** Reasoning on, with no effort or budget named: the model (or provider default) decides. */
  public static ReasoningSettings enabled() {
    return new ReasoningSettings(Optional.empty(), OptionalInt.empty(), Optional.empty());
  }

  public static ReasoningSettings effort(Effort effort) {
    return new ReasoningSettings(Optional.of(Objects.requireNonNull(effort, "effort == null")), OptionalInt.empty(),
        Optional.empty());
  }

  /** At most {@code tokens} of reasoning (Anthropic's {@code budget_tokens}). */
  public static ReasoningSettings budget(int tokens) {
    return new ReasoningSettings(Optional.empty(), OptionalInt.of(tokens), Optional.empty());
  }

  public ReasoningSettings withSummary(Summary summary) {
    return new ReasoningSettings(effort, budgetTokens, Optional.of(Objects.requireNonNull(summary, "summary == null")));
  }

  public ReasoningSettings withBudget(int tokens) {
    return new ReasoningSettings(effort, OptionalInt.of(tokens), summary);
  }

  public ReasoningSettings withEffort(Effort effort) {
    return new ReasoningSettings(Optional.of(Objects.requireNonNull(effort, "effort == null")), budgetTokens, summary);
  }

  /** Whether these settings turn reasoning off. */
  public boolean isOff() {
    return effort.equals(Optional.of(Effort.NONE));
  }
}
