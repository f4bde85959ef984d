package dev.switchboard;

import java.util.Objects;
import java.util.Optional;

/** Whether and which tool the model must call: auto, none, required (any tool), or one named tool. */
public record ToolChoice(Mode mode, Optional<String> toolName) {
  public enum Mode { AUTO, NONE, REQUIRED, TOOL }

  public ToolChoice {
    Objects.requireNonNull(mode, "mode == null");
    Objects.requireNonNull(toolName, "toolName == null");
    if ((mode == Mode.TOOL) != toolName.isPresent()) {
      throw new IllegalArgumentException("toolChoice: a tool name is given exactly when mode is TOOL");
    }
  }

  public static ToolChoice auto() {
    return new ToolChoice(Mode.AUTO, Optional.empty());
  }

  public static ToolChoice none() {
    return new ToolChoice(Mode.NONE, Optional.empty());
  }

  public static ToolChoice required() {
    return new ToolChoice(Mode.REQUIRED, Optional.empty());
  }

  public static ToolChoice tool(String name) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("toolChoice tool name is blank");
    return new ToolChoice(Mode.TOOL, Optional.of(name));
  }
}
