package dev.switchboard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a stream delivered before it broke: the text so far, tool calls as far as their
 * fragments arrived (arguments may be incomplete JSON), and usage if it was reported.
 */
public record PartialOutput(String text, List<ToolCall> toolCalls, Optional<Usage> usage) {
  public PartialOutput {
    Objects.requireNonNull(text, "text == null");
    toolCalls = List.copyOf(toolCalls);
    Objects.requireNonNull(usage, "usage == null");
  }
}
