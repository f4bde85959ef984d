package dev.switchboard;

import java.util.List;
import java.util.Objects;

/**
 * The result of running a tool the model asked for. {@code toolCallId} must match the
 * {@link ToolCall#id()} it answers; {@code isError} tells the model the tool failed.
 *
 * <p>The content is one or more parts: text, {@link ContentPart.Json} values, images, documents
 * and video ({@link ContentPart.CachePoint}s go after the message with
 * {@link ChatRequest.Builder#cachePoint()}). How each wire takes them:
 *
 * <ul>
 *   <li>Bedrock Converse: one {@code toolResult} block with a {@code text}, {@code json},
 *       {@code image}, {@code document} or {@code video} block per part, and {@code status: error}
 *       when {@code isError}.
 *   <li>Responses API: {@code function_call_output} whose {@code output} is the text when the
 *       result is one text or JSON part, else a list of {@code input_text} / {@code input_image} /
 *       {@code input_file} items (JSON as its text).
 *   <li>Chat Completions: a {@code tool} message takes text parts only, so text and JSON go there
 *       and images and documents follow in a user message right after the turn's tool messages,
 *       which the tool message points to.
 * </ul>
 * Neither OpenAI API has an error flag: the content tells the model. Video reaches Bedrock only;
 * routing skips targets that cannot read it.
 */
public record ToolResultMessage(String toolCallId, List<ContentPart> content, boolean isError) implements Message {
  public ToolResultMessage {
    if (toolCallId == null || toolCallId.isBlank()) {
      throw new IllegalArgumentException("tool result toolCallId is blank: a tool result must name the tool call it answers");
    }
    content = List.copyOf(Objects.requireNonNull(content, "content == null"));
    if (content.isEmpty()) throw new IllegalArgumentException("tool result content is empty");
    for (ContentPart part : content) {
      if (part instanceof ContentPart.CachePoint) {
        throw new IllegalArgumentException("tool result content has a cache point: put it after the message with"
            + " ChatRequest.Builder.cachePoint()");
      }
    }
  }

  /** A result of one text part ({@code ""} allowed). */
  public ToolResultMessage(String toolCallId, String content, boolean isError) {
    this(toolCallId, List.of(ContentPart.text(Objects.requireNonNull(content, "content == null"))), isError);
  }

  /** A successful result made of {@code parts}. */
  public static ToolResultMessage of(String toolCallId, ContentPart... parts) {
    return new ToolResultMessage(toolCallId, List.of(parts), false);
  }

  /** A result that reports a tool failure to the model. */
  public static ToolResultMessage error(String toolCallId, String content) {
    return new ToolResultMessage(toolCallId, content, true);
  }

  /** The text and JSON parts' text joined with nothing between them; "" when there is none. */
  public String text() {
    if (content.size() == 1) return textOf(content.get(0));
    StringBuilder sb = new StringBuilder();
    for (ContentPart p : content) sb.append(textOf(p));
    return sb.toString();
  }

  /** Whether every part is text or JSON (what a text-only tool output can carry as it is). */
  public boolean isTextOnly() {
    for (ContentPart p : content) {
      if (!(p instanceof ContentPart.Text || p instanceof ContentPart.Json)) return false;
    }
    return true;
  }

  /** Whether any part is a video. */
  public boolean hasVideo() {
    return ContentPart.anyVideo(content);
  }

  private static String textOf(ContentPart p) {
    if (p instanceof ContentPart.Text t) return t.text();
    if (p instanceof ContentPart.Json j) return j.json();
    return "";
  }
}
