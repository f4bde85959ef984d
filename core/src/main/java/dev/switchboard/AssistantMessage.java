package dev.switchboard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An assistant turn: text (possibly empty), the tool calls the model asked for, and the
 * model's refusal text when it declined to answer.
 */
public record AssistantMessage(String text, List<ToolCall> toolCalls, Optional<String> refusal)
    implements Message {
  public AssistantMessage {
    Objects.requireNonNull(text, "text == null");
    toolCalls = List.copyOf(toolCalls);
    Objects.requireNonNull(refusal, "refusal == null");
  }

  public static AssistantMessage of(String text) {
    return new AssistantMessage(text, List.of(), Optional.empty());
  }

  public static AssistantMessage of(String text, List<ToolCall> toolCalls) {
    return new AssistantMessage(text, toolCalls, Optional.empty());
  }

  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }
}
