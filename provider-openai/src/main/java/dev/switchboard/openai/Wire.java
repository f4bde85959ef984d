package dev.switchboard.openai;

import dev.switchboard.FinishReason;
import dev.switchboard.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The package-private wire shapes of a Chat Completions response or stream chunk: only the fields
 * Switchboard uses, filled by {@link WireReader}. One class for both because a chunk's
 * {@code delta} and a response's {@code message} carry the same fields.
 */
final class Wire {
  private Wire() {}

  /** A response body or one stream chunk. */
  static final class Body {
    String id;
    String model;
    String systemFingerprint;
    String serviceTier;
    /** The choice with {@code index} 0 (the only one Switchboard asks for); null when absent. */
    Choice choice;
    int choiceCount;
    WireUsage usage;
    OpenAiError error;
  }

  /** One choice: its message (or delta) and finish reason. */
  static final class Choice {
    int index;
    String content;
    String refusal;
    String reasoning;
    List<ToolCallPart> toolCalls;
    String finishReason;

    void addToolCall(ToolCallPart part) {
      if (toolCalls == null) toolCalls = new ArrayList<>(1);
      toolCalls.add(part);
    }
  }

  /** A tool call, or a fragment of one in a stream. {@code index} is -1 when the server sent none. */
  static final class ToolCallPart {
    int index = -1;
    String id;
    String name;
    String arguments;
  }

  /** Token counts; the optional details are null when not reported. */
  static final class WireUsage {
    int promptTokens;
    int completionTokens;
    Integer cachedTokens;
    Integer reasoningTokens;

    Usage toUsage() {
      Usage u = Usage.of(Math.max(0, promptTokens), Math.max(0, completionTokens));
      if (cachedTokens != null) u = u.withCachedInputTokens(Math.max(0, cachedTokens));
      if (reasoningTokens != null) u = u.withReasoningTokens(Math.max(0, reasoningTokens));
      return u;
    }
  }

  /** Maps a wire finish reason; {@code function_call} is the legacy name for a tool call. */
  static FinishReason finishReason(String wire) {
    return switch (wire) {
      case "stop" -> FinishReason.STOP;
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }
}
