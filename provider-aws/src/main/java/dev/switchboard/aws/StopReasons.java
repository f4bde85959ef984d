package dev.switchboard.aws;

import dev.switchboard.FinishReason;

/** Bedrock's {@code stopReason} values as {@link FinishReason}s. */
final class StopReasons {
  private StopReasons() {}

  /**
   * {@code toolCalls} says whether the answer holds tool calls for the caller: a {@code tool_use}
   * stop that only called the forced JSON-output tool (or a server-side tool) is a plain STOP.
   */
  static FinishReason map(String stopReason, boolean toolCalls) {
    if (stopReason == null) return FinishReason.OTHER;
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "tool_use" -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }
}
