package dev.switchboard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An assistant turn: its text as text parts (none when the turn is only tool calls), the tool
 * calls the model asked for, the model's refusal text when it declined to answer, and the
 * model's {@link Reasoning} blocks (none unless the model reasons and the provider returns it).
 * Decoded responses hold at most one text part; a replayed conversation may hold several.
 *
 * <p>To continue a conversation, send the response's message back as it is: its reasoning goes
 * back unchanged to the wire it came from (Bedrock rejects a tool-use turn of a reasoning model
 * whose reasoning block was dropped), and is left out, with a warning, anywhere else.
 */
public record AssistantMessage(List<ContentPart.Text> parts, List<ToolCall> toolCalls, Optional<String> refusal,
    List<Reasoning> reasoning) implements Message {
  public AssistantMessage {
    parts = List.copyOf(parts);
    toolCalls = List.copyOf(toolCalls);
    Objects.requireNonNull(refusal, "refusal == null");
    reasoning = List.copyOf(reasoning);
  }

  /** A turn without reasoning. */
  public AssistantMessage(List<ContentPart.Text> parts, List<ToolCall> toolCalls, Optional<String> refusal) {
    this(parts, toolCalls, refusal, List.of());
  }

  /** A turn whose text is one string ("" for none). */
  public AssistantMessage(String text, List<ToolCall> toolCalls, Optional<String> refusal) {
    this(Objects.requireNonNull(text, "text == null").isEmpty() ? List.of() : List.of(ContentPart.text(text)),
        toolCalls, refusal);
  }

  public static AssistantMessage of(String text) {
    return new AssistantMessage(text, List.of(), Optional.empty());
  }

  public static AssistantMessage of(String text, List<ToolCall> toolCalls) {
    return new AssistantMessage(text, toolCalls, Optional.empty());
  }

  /** A turn of several text parts, e.g. replayed from a provider that returned them so. */
  public static AssistantMessage ofParts(List<ContentPart.Text> parts) {
    return new AssistantMessage(parts, List.of(), Optional.empty());
  }

  /** The parts' text joined with nothing between them; "" when there is none. */
  public String text() {
    if (parts.isEmpty()) return "";
    if (parts.size() == 1) return parts.get(0).text();
    StringBuilder sb = new StringBuilder();
    for (ContentPart.Text p : parts) sb.append(p.text());
    return sb.toString();
  }

  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  /** This turn with {@code reasoning} as its reasoning blocks. */
  public AssistantMessage withReasoning(List<Reasoning> reasoning) {
    return new AssistantMessage(parts, toolCalls, refusal, reasoning);
  }

}
