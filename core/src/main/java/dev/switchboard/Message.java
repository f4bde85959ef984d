package dev.switchboard;

import java.util.List;

/**
 * One turn of a conversation. The four kinds are the only ones: {@link SystemMessage},
 * {@link UserMessage}, {@link AssistantMessage} (text and/or tool calls) and
 * {@link ToolResultMessage} (the answer to one tool call).
 */
public sealed interface Message
    permits SystemMessage, UserMessage, AssistantMessage, ToolResultMessage {

  /** A system instruction. */
  static SystemMessage system(String text) {
    return new SystemMessage(text);
  }

  /** A system instruction of several text parts (Bedrock keeps them as separate blocks). */
  static SystemMessage system(ContentPart.Text... parts) {
    return new SystemMessage(List.of(parts));
  }

  /** A user turn with plain text. */
  static UserMessage user(String text) {
    return new UserMessage(List.of(ContentPart.text(text)));
  }

  /** A user turn with text, images and documents. */
  static UserMessage user(ContentPart... parts) {
    return new UserMessage(List.of(parts));
  }

  /** An assistant turn with plain text, e.g. from earlier in the conversation. */
  static AssistantMessage assistant(String text) {
    return AssistantMessage.of(text);
  }

  /** The result of the tool call with {@code toolCallId}. */
  static ToolResultMessage toolResult(String toolCallId, String content) {
    return new ToolResultMessage(toolCallId, content, false);
  }

  /** The result of the tool call with {@code toolCallId}, as text, JSON, images, documents or video. */
  static ToolResultMessage toolResult(String toolCallId, ContentPart... parts) {
    return ToolResultMessage.of(toolCallId, parts);
  }
}
