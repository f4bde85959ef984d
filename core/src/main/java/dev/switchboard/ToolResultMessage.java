package dev.switchboard;

import java.util.Objects;

/**
 * The result of running a tool the model asked for. {@code toolCallId} must match the
 * {@link ToolCall#id()} it answers; {@code isError} tells the model the tool failed.
 */
public record ToolResultMessage(String toolCallId, String content, boolean isError) implements Message {
  public ToolResultMessage {
    if (toolCallId == null || toolCallId.isBlank()) {
      throw new IllegalArgumentException("tool result toolCallId is blank: a tool result must name the tool call it answers");
    }
    Objects.requireNonNull(content, "content == null");
  }

  /** A result that reports a tool failure to the model. */
  public static ToolResultMessage error(String toolCallId, String content) {
    return new ToolResultMessage(toolCallId, content, true);
  }
}
