package dev.switchboard;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Token counts as the provider reported them. The optional parts are present only when the
 * provider reported them: cached input tokens (read from a prompt cache), input tokens written
 * to a cache, and reasoning tokens (counted within {@code outputTokens}).
 */
public record Usage(
    int inputTokens,
    int outputTokens,
    OptionalInt cachedInputTokens,
    OptionalInt cacheWriteInputTokens,
    OptionalInt reasoningTokens) {

  public static final Usage EMPTY = of(0, 0);

  public Usage {
    if (inputTokens < 0 || outputTokens < 0) throw new IllegalArgumentException("token counts must be >= 0");
    Objects.requireNonNull(cachedInputTokens, "cachedInputTokens == null");
    Objects.requireNonNull(cacheWriteInputTokens, "cacheWriteInputTokens == null");
    Objects.requireNonNull(reasoningTokens, "reasoningTokens == null");
  }

  public static Usage of(int inputTokens, int outputTokens) {
    return new Usage(inputTokens, outputTokens, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
  }

  public int totalTokens() {
    return inputTokens + outputTokens;
  }

  public Usage withCachedInputTokens(int tokens) {
    return new Usage(inputTokens, outputTokens, OptionalInt.of(tokens), cacheWriteInputTokens, reasoningTokens);
  }

  public Usage withCacheWriteInputTokens(int tokens) {
    return new Usage(inputTokens, outputTokens, cachedInputTokens, OptionalInt.of(tokens), reasoningTokens);
  }

  public Usage withReasoningTokens(int tokens) {
    return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, OptionalInt.of(tokens));
  }
}
