package dev.switchboard.openai.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.FinishReason;
import dev.switchboard.Message;
import dev.switchboard.Reasoning;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ServiceTier;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.Usage;
import dev.switchboard.testing.ProviderTestKit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test-side reading of recorded Responses API traffic, written independently of the codec (plain
 * Jackson trees): a recorded {@code POST /responses} body as the {@link ChatRequest} that would
 * produce it, or the reason Switchboard cannot express it; and the answer a recorded response
 * object (or the final event of a recorded stream) holds.
 */
public final class RecordedResponses {
  private static final Set<String> MAPPED = Set.of("model", "input", "instructions", "stream", "temperature", "top_p",
      "max_output_tokens", "user", "tools", "tool_choice", "text", "parallel_tool_calls");
  /** Request fields that need what Switchboard refuses, with the reason (the provider's own refusals). */
  private static final Map<String, String> REFUSED = Map.of(
      "previous_response_id", "server-side state (previous_response_id), refused: the whole history is sent each call",
      "conversation", "a server-side conversation, refused: the whole history is sent each call",
      "background", "background mode (answered by polling), refused",
      "prompt", "a stored prompt (server-side state), refused");

  private RecordedResponses() {}

  /** Thrown by {@link #toRequest} for a recorded request that uses a feature Switchboard does not map. */
  public static final class Unsupported extends RuntimeException {
    public Unsupported(String reason) {
      super(reason, null, false, false);
    }
  }

  /** What a recorded answer says. {@code refusal} empty when none. */
  public record Answer(String text, List<ToolCall> toolCalls, FinishReason finishReason, Optional<Usage> usage, String model,
      String id, Optional<String> refusal) {}

  /**
   * The request that would produce {@code body}; top-level fields Switchboard has no field for go
   * through provider options of {@code providerType}, as a user would send them.
   *
   * @throws Unsupported naming the first feature that cannot be expressed
   */
  public static ChatRequest toRequest(JsonNode body, String providerType) {
    for (Map.Entry<String, String> r : REFUSED.entrySet()) {
      if (has(body, r.getKey()) && !(r.getKey().equals("background") && !body.get("background").asBoolean())) {
        throw new Unsupported(r.getValue());
      }
    }
    ChatRequest.Builder b = ChatRequest.builder("alias");
    if (has(body, "instructions") && !body.get("instructions").asText().isEmpty()) b.system(body.get("instructions").asText());
    List<Message> messages = new ArrayList<>();
    JsonNode input = body.get("input");
    if (input.isTextual()) {
      messages.add(Message.user(input.asText()));
    } else {
      for (JsonNode item : input) addItem(messages, item);
    }
    b.messages(messages);
    double t = body.path("temperature").asDouble(1);
    if (has(body, "temperature")) {
      if (t >= 0 && t <= 2) b.temperature(t);
      else b.providerOption(providerType, "temperature", body.get("temperature").numberValue());
    }
    if (has(body, "top_p")) b.topP(body.get("top_p").asDouble());
    if (has(body, "max_output_tokens")) b.maxTokens(body.get("max_output_tokens").asInt());
    if (has(body, "user")) b.endUser(body.get("user").asText());
    for (JsonNode tool : body.path("tools")) {
      String type = tool.path("type").asText();
      if (!type.equals("function")) throw new Unsupported("built-in tool '" + type + "', out of scope (function tools only)");
      if (!tool.has("strict")) throw new Unsupported("a function tool without strict (the API's default is not recorded)");
      JsonNode params = tool.get("parameters");
      b.tool(new ToolDefinition(tool.get("name").asText(), tool.path("description").asText(""),
          params == null || params.isNull() ? "{\"type\":\"object\",\"properties\":{}}" : params.toString(),
          tool.get("strict").asBoolean()));
    }
    if (has(body, "tool_choice")) {
      JsonNode c = body.get("tool_choice");
      if (c.isTextual()) {
        b.toolChoice(switch (c.asText()) {
          case "none" -> ToolChoice.none();
          case "required" -> ToolChoice.required();
          default -> ToolChoice.auto();
        });
      } else if (c.path("type").asText().equals("function")) {
        b.toolChoice(ToolChoice.tool(c.get("name").asText()));
      } else {
        throw new Unsupported("tool_choice of type '" + c.path("type").asText() + "'");
      }
    }
    if (has(body, "text")) {
      JsonNode text = body.get("text");
      JsonNode format = text.get("format");
      String type = format == null ? "text" : format.path("type").asText();
      switch (type) {
        case "json_object" -> b.responseFormat(ResponseFormat.jsonObject());
        case "json_schema" -> b.responseFormat(ResponseFormat.jsonSchema(format.get("name").asText(),
            format.path("description").asText(""), format.get("schema").toString(), format.path("strict").asBoolean(false)));
        default -> { }
      }
      com.fasterxml.jackson.databind.node.ObjectNode rest = text.deepCopy();
      rest.remove("format");
      if (!rest.isEmpty()) {
        if (!type.equals("text")) throw new Unsupported("text." + rest.fieldNames().next() + " beside a JSON format");
        b.providerOption(providerType, "text", ProviderTestKit.objectMapper().convertValue(rest, Object.class));
      }
    }
    if (has(body, "parallel_tool_calls")) b.parallelToolCalls(body.get("parallel_tool_calls").asBoolean());
    boolean typedReasoning = typedReasoning(body.get("reasoning"));
    if (typedReasoning) b.reasoning(reasoning(body.get("reasoning")));
    boolean typedTier = body.path("service_tier").isTextual() && !body.get("service_tier").asText().equals("reserved")
        && Arrays.stream(ServiceTier.values()).anyMatch(tier -> tier.wireName().equals(body.get("service_tier").asText()));
    if (typedTier) b.serviceTier(ServiceTier.valueOf(body.get("service_tier").asText().toUpperCase(Locale.ROOT)));
    // The writer asks for encrypted reasoning itself when nothing is stored and reasoning is in play
    // (typed, as an option, or as reasoning items in the history): a recorded include of exactly that
    // is what the typed request sends. With no reasoning named at all, it is reasoning on at the
    // model's default: ReasoningSettings.enabled(), which writes no reasoning object.
    JsonNode include = body.get("include");
    boolean typedInclude = !has(body, "store") && include != null && include.isArray() && include.size() == 1
        && include.get(0).asText().equals("reasoning.encrypted_content");
    boolean reasoningInPlay = has(body, "reasoning") || messages.stream()
        .anyMatch(m -> m instanceof AssistantMessage a && !a.reasoning().isEmpty());
    if (typedInclude && !reasoningInPlay) b.reasoning(dev.switchboard.ReasoningSettings.enabled());
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (e.getKey().equals("reasoning") && typedReasoning) continue;
      if (e.getKey().equals("service_tier") && typedTier) continue;
      if (e.getKey().equals("include") && typedInclude) continue;
      if (!MAPPED.contains(e.getKey()) && !e.getValue().isNull()) {
        b.providerOption(providerType, e.getKey(), ProviderTestKit.objectMapper().convertValue(e.getValue(), Object.class));
      }
    }
    return b.build();
  }

  /** A {@code reasoning} object the typed {@code ReasoningSettings} says in full: only {@code effort} and {@code summary}. */
  private static boolean typedReasoning(JsonNode r) {
    if (r == null || !r.isObject() || r.isEmpty()) return false;
    for (Map.Entry<String, JsonNode> e : r.properties()) {
      if (!Set.of("effort", "summary").contains(e.getKey())) return false;
      if (!e.getValue().isNull() && !e.getValue().isTextual()) return false;
    }
    return r.path("effort").isTextual() || r.path("summary").isTextual();
  }

  private static dev.switchboard.ReasoningSettings reasoning(JsonNode r) {
    dev.switchboard.ReasoningSettings s = r.path("effort").isTextual()
        ? dev.switchboard.ReasoningSettings.effort(
            dev.switchboard.ReasoningSettings.Effort.valueOf(r.get("effort").asText().toUpperCase(Locale.ROOT)))
        : dev.switchboard.ReasoningSettings.enabled();
    return r.path("summary").isTextual()
        ? s.withSummary(dev.switchboard.ReasoningSettings.Summary.valueOf(r.get("summary").asText().toUpperCase(Locale.ROOT))) : s;
  }

  private static void addItem(List<Message> messages, JsonNode item) {
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    switch (type) {
      case "message" -> {
        Message m = message(item);
        Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        // A turn's reasoning items come before its message: they are one assistant turn.
        if (m instanceof AssistantMessage a && last instanceof AssistantMessage prev && prev.parts().isEmpty() && !prev.hasToolCalls()
            && !prev.reasoning().isEmpty()) {
          messages.set(messages.size() - 1, a.withReasoning(prev.reasoning()));
        } else {
          messages.add(m);
        }
      }
      case "function_call" -> {
        ToolCall call = new ToolCall(item.get("call_id").asText(), item.get("name").asText(), item.get("arguments").asText());
        Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last instanceof AssistantMessage a) {
          List<ToolCall> calls = new ArrayList<>(a.toolCalls());
          calls.add(call);
          messages.set(messages.size() - 1, new AssistantMessage(a.parts(), calls, a.refusal(), a.reasoning()));
        } else {
          messages.add(AssistantMessage.of("", List.of(call)));
        }
      }
      case "function_call_output" -> {
        JsonNode output = item.get("output");
        if (output.isTextual()) {
          messages.add(Message.toolResult(item.get("call_id").asText(), output.asText()));
        } else {
          messages.add(new dev.switchboard.ToolResultMessage(item.get("call_id").asText(), parts(output, "function_call_output"), false));
        }
      }
      case "reasoning" -> {
        Reasoning.Builder r = Reasoning.builder(Reasoning.Wire.RESPONSES).id(item.get("id").asText());
        for (JsonNode s : item.path("summary")) r.summary(s.get("text").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode c : item.path("content")) text.append(c.get("text").asText());
        r.text(text.toString());
        if (has(item, "encrypted_content")) r.encryptedContent(item.get("encrypted_content").asText());
        Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last instanceof AssistantMessage a && a.parts().isEmpty() && !a.hasToolCalls()) {
          List<Reasoning> all = new ArrayList<>(a.reasoning());
          all.add(r.build());
          messages.set(messages.size() - 1, a.withReasoning(all));
        } else {
          messages.add(AssistantMessage.of("").withReasoning(List.of(r.build())));
        }
      }
      default -> throw new Unsupported("a '" + type + "' input item (built-in tool or server-side item)");
    }
  }

  private static Message message(JsonNode m) {
    String role = m.get("role").asText();
    JsonNode content = m.get("content");
    switch (role) {
      case "system", "developer" -> {
        return Message.system(joinText(content));
      }
      case "assistant" -> {
        for (JsonNode p : content.isArray() ? content : List.<JsonNode>of()) {
          if (!p.path("type").asText().equals("output_text")) throw new Unsupported("an assistant '" + p.path("type").asText() + "' part");
        }
        return AssistantMessage.of(joinText(content));
      }
      case "user" -> {
        if (content.isTextual()) return Message.user(content.asText());
        return Message.user(parts(content, "user").toArray(ContentPart[]::new));
      }
      default -> throw new Unsupported("role " + role);
    }
  }

  /** The typed parts of a list of {@code input_text} / {@code input_image} / {@code input_file} items (a user message or a tool output). */
  private static List<ContentPart> parts(JsonNode content, String where) {
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode p : content) {
      switch (p.path("type").asText()) {
        case "input_text" -> parts.add(ContentPart.text(p.get("text").asText()));
        case "input_image" -> {
          if (!has(p, "image_url")) throw new Unsupported("an image by file_id");
          ContentPart.ImageUrl image = ContentPart.imageUrl(p.get("image_url").asText());
          parts.add(has(p, "detail")
              ? image.withDetail(ContentPart.ImageDetail.valueOf(p.get("detail").asText().toUpperCase(Locale.ROOT))) : image);
        }
        case "input_file" -> parts.add(file(p));
        default -> throw new Unsupported("a " + where + " '" + p.path("type").asText() + "' part");
      }
    }
    return parts;
  }

  private static ContentPart file(JsonNode f) {
    Optional<String> name = has(f, "filename") ? Optional.of(f.get("filename").asText()) : Optional.empty();
    if (has(f, "file_id")) return new ContentPart.DocumentFile(f.get("file_id").asText(), name);
    if (!has(f, "file_data")) throw new Unsupported("a document by URL (file_url)");
    String url = f.get("file_data").asText();
    String mediaType = url.substring("data:".length(), url.indexOf(';'));
    return new ContentPart.DocumentBytes(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)), mediaType, name);
  }

  private static String joinText(JsonNode content) {
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : content) sb.append(p.path("text").asText(""));
    return sb.toString();
  }

  /** The answer a response object holds. */
  public static Answer fromResponse(JsonNode r) {
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode item : r.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> {
          for (JsonNode p : item.path("content")) {
            if (p.path("type").asText().equals("output_text")) text.append(p.get("text").asText());
            if (p.path("type").asText().equals("refusal")) refusal.append(p.get("refusal").asText());
          }
        }
        case "function_call" -> calls.add(new ToolCall(item.get("call_id").asText(), item.get("name").asText(),
            item.get("arguments").asText()));
        default -> { }
      }
    }
    String status = r.path("status").asText("");
    FinishReason finish = switch (status) {
      case "completed" -> calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      case "incomplete" -> switch (r.at("/incomplete_details/reason").asText("")) {
        case "max_output_tokens" -> FinishReason.LENGTH;
        case "content_filter" -> FinishReason.CONTENT_FILTER;
        default -> FinishReason.OTHER;
      };
      default -> FinishReason.OTHER;
    };
    return new Answer(text.toString(), calls, finish, usage(r.get("usage")), r.path("model").asText(""), r.path("id").asText(""),
        refusal.length() == 0 ? Optional.empty() : Optional.of(refusal.toString()));
  }

  /**
   * The raw finish reason a recorded response object gives: its {@code incomplete_details.reason}
   * when incomplete and it names one, else its {@code status}; empty when it has no status.
   */
  public static Optional<String> rawFinishReason(JsonNode r) {
    String status = r.path("status").asText("");
    String reason = r.path("incomplete_details").path("reason").asText("");
    if (status.equals("incomplete") && !reason.isEmpty()) return Optional.of(reason);
    return status.isEmpty() ? Optional.empty() : Optional.of(status);
  }

  /** The usage a recorded {@code usage} object reports; empty for a missing or null one. */
  public static Optional<Usage> usage(JsonNode u) {
    if (u == null || u.isNull()) return Optional.empty();
    Usage usage = Usage.of(u.get("input_tokens").asInt(), u.get("output_tokens").asInt());
    JsonNode cached = u.at("/input_tokens_details/cached_tokens");
    if (cached.isInt()) usage = usage.withCachedInputTokens(cached.asInt());
    JsonNode reasoning = u.at("/output_tokens_details/reasoning_tokens");
    if (reasoning.isInt()) usage = usage.withReasoningTokens(reasoning.asInt());
    return Optional.of(usage);
  }

  /** The JSON of each {@code data:} line of an SSE body, in order. */
  public static List<JsonNode> events(byte[] sse) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : new String(sse, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) out.add(RecordedChat.tree(line.substring(6).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** The concatenated {@code response.output_text.delta} of a recorded stream. */
  public static String streamedText(List<JsonNode> events) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode e : events) {
      if (e.path("type").asText().equals("response.output_text.delta")) sb.append(e.get("delta").asText());
    }
    return sb.toString();
  }

  /** The response object of a stream's final event (completed, incomplete or failed); empty when it has none. */
  public static Optional<JsonNode> finalResponse(List<JsonNode> events) {
    for (JsonNode e : events) {
      String type = e.path("type").asText();
      if (type.equals("response.completed") || type.equals("response.incomplete") || type.equals("response.failed")) {
        return Optional.of(e.get("response"));
      }
    }
    return Optional.empty();
  }

  private static boolean has(JsonNode n, String field) {
    return n != null && n.has(field) && !n.get(field).isNull();
  }
}
