package dev.switchboard.internal;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Message;
import dev.switchboard.SystemMessage;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in logging of prompt and completion text (logger {@code dev.switchboard.content}, DEBUG),
 * truncated. Off unless the user turns it on: prompts and answers may hold personal data.
 */
public final class ContentLog {
  private static final Logger log = LoggerFactory.getLogger("dev.switchboard.content");
  private final int maxChars;

  public ContentLog(int maxChars) {
    this.maxChars = maxChars;
  }

  public void prompt(ChatRequest request) {
    if (!log.isDebugEnabled()) return;
    Message last = request.messages().get(request.messages().size() - 1);
    String text = last instanceof UserMessage u ? u.text()
        : last instanceof SystemMessage s ? s.text()
        : last instanceof ToolResultMessage t ? t.text()
        : ((dev.switchboard.AssistantMessage) last).text();
    log.debug("prompt to '{}' ({} messages), last: {}", request.model(), request.messages().size(), truncate(text));
  }

  public void completion(ChatResponse response) {
    if (!log.isDebugEnabled()) return;
    log.debug("completion from {}: {}{}", response.servedBy(), truncate(response.text()),
        response.toolCalls().isEmpty() ? "" : " (+" + response.toolCalls().size() + " tool calls)");
  }

  String truncate(String text) {
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + "… (" + text.length() + " chars)";
  }
}
