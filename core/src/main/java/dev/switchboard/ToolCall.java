package dev.switchboard;

import java.util.Objects;

/**
 * A call the model asked for: the provider's call id, the tool name, and the arguments as JSON
 * text exactly as the model produced them (they may not be valid JSON; validate before use).
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(arguments, "arguments == null");
  }
}
