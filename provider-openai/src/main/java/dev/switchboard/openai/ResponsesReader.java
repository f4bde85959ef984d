package dev.switchboard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.Reasoning;
import dev.switchboard.Secret;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import dev.switchboard.http.ErrorContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Responses API {@code response} object (a whole body, or the one inside a stream's
 * {@code response.completed} / {@code response.incomplete} / {@code response.failed} event) as a
 * tree. Only the fields Switchboard uses are read; {@code reasoning} items become {@link Reasoning}
 * blocks (id, summary parts, {@code reasoning_text} content, {@code encrypted_content}); other
 * unknown output item types (built-in tool calls) are skipped.
 */
final class ResponsesReader {
  private ResponsesReader() {}

  /** What one response object says. {@code refusal} is null when absent. */
  record Result(String text, List<ToolCall> toolCalls, String refusal, List<Reasoning> reasoning, FinishReason finishReason,
      Optional<Usage> usage, String model, String id, String serviceTier, List<String> warnings) {}

  static Result read(JsonNode response, ErrorContext context, Collection<Secret> secrets) {
    if (response == null || !response.isObject()) {
      throw context.error(ErrorKind.PROTOCOL, "response body is not a Responses API response object").build();
    }
    JsonNode error = response.get("error");
    String status = text(response.get("status"));
    if ((error != null && !error.isNull()) || "failed".equals(status)) throw failure(response, context, secrets).build();
    if ("queued".equals(status) || "in_progress".equals(status)) {
      throw context.error(ErrorKind.PROTOCOL, "the response is still " + status
          + " (background responses are not supported)").build();
    }
    if ("cancelled".equals(status)) throw context.error(ErrorKind.SERVER_ERROR, "the response was cancelled").build();
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = null;
    List<Reasoning> reasoning = new ArrayList<>(0);
    List<ToolCall> calls = new ArrayList<>(1);
    JsonNode output = response.get("output");
    if (output != null && output.isArray()) {
      for (JsonNode item : output) {
        switch (text(item.get("type"))) {
          case "message" -> {
            for (JsonNode part : item.path("content")) {
              String type = text(part.get("type"));
              if (type.equals("output_text")) {
                text.append(text(part.get("text")));
              } else if (type.equals("refusal")) {
                if (refusal == null) refusal = new StringBuilder();
                refusal.append(text(part.get("refusal")));
              }
            }
          }
          case "function_call" -> calls.add(toolCall(item, calls.size(), context));
          case "reasoning" -> {
            Reasoning r = reasoning(item);
            if (r != null) reasoning.add(r);
          }
          default -> { } // built-in tool calls and other items Switchboard does not model
        }
      }
    }
    List<String> warnings = new ArrayList<>(0);
    FinishReason reason = finishReason(status, response.get("incomplete_details"), !calls.isEmpty(), warnings);
    return new Result(text.toString(), calls, refusal == null ? null : refusal.toString(),
        reasoning, reason, usage(response.get("usage")), text(response.get("model")),
        text(response.get("id")), nullableText(response.get("service_tier")), warnings);
  }

  /**
   * {@code completed} (or none) → STOP, or TOOL_CALLS when the output holds function calls;
   * {@code incomplete} → by {@code incomplete_details.reason}: {@code max_output_tokens} →
   * LENGTH, {@code content_filter} → CONTENT_FILTER, else OTHER; any other status → OTHER with a warning.
   */
  static FinishReason finishReason(String status, JsonNode incomplete, boolean hasCalls, List<String> warnings) {
    if (status.isEmpty() || status.equals("completed")) return hasCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    if (status.equals("incomplete")) {
      String why = incomplete == null ? "" : text(incomplete.get("reason"));
      return switch (why) {
        case "max_output_tokens" -> FinishReason.LENGTH;
        case "content_filter" -> FinishReason.CONTENT_FILTER;
        default -> FinishReason.OTHER;
      };
    }
    warnings.add("the response has status '" + status.substring(0, Math.min(40, status.length())) + "', which Switchboard does not know");
    return FinishReason.OTHER;
  }

  /**
   * The provider's own finish reason for {@code ChatResponse.rawFinishReason()}: the
   * {@code incomplete_details.reason} of an incomplete response ({@code max_output_tokens},
   * {@code content_filter}), else its {@code status} ({@code completed}, {@code incomplete}, or one
   * Switchboard does not know); null when the response has neither.
   */
  static String rawFinishReason(JsonNode response) {
    if (response == null || !response.isObject()) return null;
    String status = text(response.get("status"));
    if (status.equals("incomplete")) {
      JsonNode details = response.get("incomplete_details");
      String why = details == null ? "" : text(details.get("reason"));
      if (!why.isEmpty()) return why;
    }
    return status.isEmpty() ? null : status;
  }

  /**
   * A {@code reasoning} output item as it must go back: its id, each {@code summary_text} part, its
   * {@code reasoning_text} content joined, its {@code encrypted_content}; null without an id (the API
   * needs it on input).
   */
  static Reasoning reasoning(JsonNode item) {
    String id = text(item.get("id"));
    if (id.isEmpty()) return null;
    Reasoning.Builder b = Reasoning.builder(Reasoning.Wire.RESPONSES).id(id);
    for (JsonNode s : item.path("summary")) b.summary(text(s.get("text")));
    StringBuilder content = new StringBuilder();
    for (JsonNode c : item.path("content")) content.append(text(c.get("text")));
    b.text(content.toString());
    String encrypted = text(item.get("encrypted_content"));
    if (!encrypted.isEmpty()) b.encryptedContent(encrypted);
    return b.build();
  }

  static ToolCall toolCall(JsonNode item, int index, ErrorContext context) {
    String name = text(item.get("name"));
    if (name.isEmpty()) throw context.error(ErrorKind.PROTOCOL, "response function call " + index + " has no name").build();
    String id = text(item.get("call_id"));
    return new ToolCall(id.isEmpty() ? "call_" + index : id, name, text(item.get("arguments")));
  }

  /** The typed error of a failed response: its {@code error} object, classified like an error inside a stream. */
  static dev.switchboard.SwitchboardException.Builder failure(JsonNode response, ErrorContext context, Collection<Secret> secrets) {
    JsonNode error = response.get("error");
    if (error == null || error.isNull()) {
      return context.error(ErrorKind.SERVER_ERROR, "the response failed without saying why");
    }
    return OpenAiErrors.streamBuilder(WireReader.toError(error), context, secrets);
  }

  static Optional<Usage> usage(JsonNode u) {
    if (u == null || !u.isObject()) return Optional.empty();
    Usage usage = Usage.of(Math.max(0, u.path("input_tokens").asInt(0)), Math.max(0, u.path("output_tokens").asInt(0)));
    JsonNode cached = u.path("input_tokens_details").get("cached_tokens");
    if (cached != null && cached.isInt()) usage = usage.withCachedInputTokens(Math.max(0, cached.asInt()));
    JsonNode reasoning = u.path("output_tokens_details").get("reasoning_tokens");
    if (reasoning != null && reasoning.isInt()) usage = usage.withReasoningTokens(Math.max(0, reasoning.asInt()));
    return Optional.of(usage);
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isContainerNode() ? "" : n.asText();
  }

  private static String nullableText(JsonNode n) {
    String t = text(n);
    return t.isEmpty() ? null : t;
  }
}
