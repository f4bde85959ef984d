package dev.switchboard.routing;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.Message;
import dev.switchboard.SystemMessage;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;

/**
 * A local, tokenizer-free estimate of a request's size, used to skip targets whose context
 * window is too small, to price requests for lowest-cost routing, and to count tokens against a
 * quota. It assumes {@value #CHARS_PER_TOKEN} characters per token (about right for English
 * with GPT and Claude tokenizers; it underestimates CJK text and overestimates dense code), adds
 * {@value #TOKENS_PER_MESSAGE} tokens of framing per message and {@value #TOKENS_PER_IMAGE} per
 * image. It is an estimate: a target is skipped for its context window only when the estimate
 * plus the request's maxTokens exceeds the window.
 */
public final class TokenEstimator {
  public static final int CHARS_PER_TOKEN = 4;
  public static final int TOKENS_PER_MESSAGE = 4;
  public static final int TOKENS_PER_IMAGE = 1000;

  private TokenEstimator() {}

  /** The estimated prompt tokens of {@code request}: messages, tool calls and tool definitions. */
  public static int estimateInput(ChatRequest request) {
    long chars = 0;
    long extra = 0;
    for (Message m : request.messages()) {
      extra += TOKENS_PER_MESSAGE;
      if (m instanceof SystemMessage s) {
        chars += s.text().length();
      } else if (m instanceof UserMessage u) {
        for (ContentPart p : u.content()) {
          if (p instanceof ContentPart.Text t) chars += t.text().length();
          else if (!(p instanceof ContentPart.CachePoint)) extra += TOKENS_PER_IMAGE;
        }
      } else if (m instanceof AssistantMessage a) {
        chars += a.text().length();
        for (ToolCall c : a.toolCalls()) chars += c.name().length() + c.arguments().length();
      } else if (m instanceof ToolResultMessage r) {
        for (ContentPart p : r.content()) {
          if (p instanceof ContentPart.Text t) chars += t.text().length();
          else if (p instanceof ContentPart.Json j) chars += j.json().length();
          else extra += TOKENS_PER_IMAGE;
        }
      }
    }
    for (ToolDefinition t : request.tools()) {
      chars += t.name().length() + t.description().length() + t.parametersSchema().length();
    }
    return saturate(ceilDiv(chars) + extra);
  }

  /** The estimated tokens of an embedding request's inputs. */
  public static int estimateInput(EmbeddingRequest request) {
    long chars = 0;
    for (String s : request.inputs()) chars += s.length();
    return saturate(ceilDiv(chars));
  }

  /** Tokens of {@code chars} characters of text. */
  public static int tokensForChars(long chars) {
    return saturate(ceilDiv(chars));
  }

  private static long ceilDiv(long chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  private static int saturate(long v) {
    return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
  }
}
