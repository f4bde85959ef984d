package dev.switchboard.openai.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.FinishReason;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.SystemMessage;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.Usage;
import dev.switchboard.testing.ProviderTestKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test-side reading of recorded Chat Completions traffic, written independently of the codec
 * (plain Jackson trees): a recorded request body as the {@link ChatRequest} that would produce
 * it, and the answer a recorded response (JSON or SSE) holds. Shared by every provider that
 * speaks the OpenAI format; provider-specific fields (Azure's filter verdicts) are read by that
 * provider's own tests.
 */
public final class RecordedChat {
  private static final Set<String> MAPPED = Set.of("model", "messages", "stream", "stream_options", "temperature", "top_p",
      "max_tokens", "max_completion_tokens", "stop", "seed", "user", "tools", "tool_choice", "response_format",
      "reasoning_effort", "parallel_tool_calls");

  private RecordedChat() {}

  /**
   * What a recorded answer says, to compare with what the provider decoded. {@code id} is the
   * first non-empty response id ("" when none).
   */
  public record Answer(String text, List<ToolCall> toolCalls, FinishReason finishReason, Optional<Usage> usage, String model,
      String id, Optional<String> refusal, Optional<String> fingerprint, Optional<String> rawFinishReason) {}

  /**
   * The request that would produce {@code body}. Parts Switchboard cannot express (audio
   * parts) become a text part naming their type; top-level fields it has no field for go
   * through provider options of {@code providerType}, as a user would send them.
   */
  public static ChatRequest toRequest(JsonNode body, String providerType) {
    ChatRequest.Builder b = ChatRequest.builder("alias");
    for (JsonNode m : body.get("messages")) b.message(message(m));
    if (has(body, "temperature")) b.temperature(body.get("temperature").asDouble());
    if (has(body, "top_p")) b.topP(body.get("top_p").asDouble());
    if (has(body, "max_completion_tokens")) b.maxTokens(body.get("max_completion_tokens").asInt());
    if (has(body, "max_tokens")) b.maxTokens(body.get("max_tokens").asInt());
    if (has(body, "stop")) {
      List<String> stop = new ArrayList<>();
      if (body.get("stop").isArray()) body.get("stop").forEach(s -> stop.add(s.asText()));
      else stop.add(body.get("stop").asText());
      b.stop(stop);
    }
    if (has(body, "seed")) b.seed(body.get("seed").asLong());
    if (has(body, "user")) b.endUser(body.get("user").asText());
    if (has(body, "tools")) {
      for (JsonNode t : body.get("tools")) {
        JsonNode f = t.get("function");
        JsonNode params = f.get("parameters");
        b.tool(new ToolDefinition(f.get("name").asText(), f.path("description").asText(""),
            params == null ? "{\"type\":\"object\",\"properties\":{}}" : params.toString(), f.path("strict").asBoolean(false)));
      }
    }
    if (has(body, "tool_choice")) {
      JsonNode c = body.get("tool_choice");
      b.toolChoice(c.isTextual() ? switch (c.asText()) {
        case "none" -> ToolChoice.none();
        case "required" -> ToolChoice.required();
        default -> ToolChoice.auto();
      } : ToolChoice.tool(c.at("/function/name").asText()));
    }
    if (has(body, "response_format")) {
      JsonNode f = body.get("response_format");
      switch (f.get("type").asText()) {
        case "json_object" -> b.responseFormat(ResponseFormat.jsonObject());
        case "json_schema" -> b.responseFormat(ResponseFormat.jsonSchema(f.at("/json_schema/name").asText(),
            f.at("/json_schema/description").asText(""), f.at("/json_schema/schema").toString(),
            f.at("/json_schema/strict").asBoolean(false)));
        default -> { }
      }
    }
    if (has(body, "reasoning_effort")) {
      b.reasoning(dev.switchboard.ReasoningSettings.effort(
          dev.switchboard.ReasoningSettings.Effort.valueOf(body.get("reasoning_effort").asText().toUpperCase(Locale.ROOT))));
    }
    if (has(body, "parallel_tool_calls")) b.parallelToolCalls(body.get("parallel_tool_calls").asBoolean());
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (e.getKey().equals("n") && e.getValue().asInt() == 1) continue; // one answer: the default
      if (!MAPPED.contains(e.getKey()) && !e.getValue().isNull()) {
        b.providerOption(providerType, e.getKey(), ProviderTestKit.objectMapper().convertValue(e.getValue(), Object.class));
      }
    }
    return b.build();
  }

  private static Message message(JsonNode m) {
    String role = m.get("role").asText();
    JsonNode content = m.get("content");
    switch (role) {
      case "system", "developer" -> {
        return content.isTextual() ? Message.system(content.asText()) : new SystemMessage(textParts(content));
      }
      case "user" -> {
        if (content.isTextual()) return Message.user(content.asText());
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode p : content) {
          switch (p.get("type").asText()) {
            case "text" -> parts.add(ContentPart.text(p.get("text").asText()));
            case "image_url" -> {
              ContentPart.ImageUrl image = ContentPart.imageUrl(p.at("/image_url/url").asText());
              JsonNode detail = p.at("/image_url/detail");
              parts.add(detail.isTextual() ? image.withDetail(ContentPart.ImageDetail.valueOf(detail.asText().toUpperCase(Locale.ROOT)))
                  : image);
            }
            case "file" -> parts.add(file(p.get("file")));
            default -> parts.add(ContentPart.text("[" + p.get("type").asText() + " part]"));
          }
        }
        return Message.user(parts.toArray(ContentPart[]::new));
      }
      case "assistant" -> {
        if (content != null && content.isArray()) return new AssistantMessage(textParts(content), toolCalls(m), Optional.empty());
        return new AssistantMessage(content == null || content.isNull() ? "" : joinText(content), toolCalls(m), Optional.empty());
      }
      case "tool" -> {
        if (content.isTextual() || content.size() == 1) return Message.toolResult(m.get("tool_call_id").asText(), joinText(content));
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode p : content) parts.add(ContentPart.text(p.get("text").asText()));
        return new dev.switchboard.ToolResultMessage(m.get("tool_call_id").asText(), parts, false);
      }
      default -> throw new IllegalArgumentException("recorded role " + role);
    }
  }

  /** The answer in a non-streamed response body. */
  public static Answer fromResponse(JsonNode body) {
    JsonNode choice = body.at("/choices/0");
    JsonNode message = choice.get("message");
    return new Answer(message.path("content").isNull() ? "" : message.path("content").asText(""), toolCalls(message),
        finish(choice.path("finish_reason").asText("")), usage(body.get("usage")), body.path("model").asText(""),
        body.path("id").asText(""), textOrEmpty(message.get("refusal")), textOrEmpty(body.get("system_fingerprint")),
        textOrEmpty(choice.get("finish_reason")));
  }

  /** The answer a stream adds up to, given its chunks' JSON in order. */
  public static Answer fromChunks(List<JsonNode> chunks) {
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    TreeMap<Integer, String[]> calls = new TreeMap<>();
    String finish = "";
    Optional<Usage> usage = Optional.empty();
    String model = "";
    String id = "";
    Optional<String> fingerprint = Optional.empty();
    for (JsonNode c : chunks) {
      if (model.isEmpty()) model = c.path("model").asText("");
      if (id.isEmpty()) id = c.path("id").asText("");
      if (fingerprint.isEmpty()) fingerprint = textOrEmpty(c.get("system_fingerprint"));
      if (has(c, "usage")) usage = usage(c.get("usage"));
      for (JsonNode choice : c.path("choices")) {
        if (choice.path("index").asInt(0) != 0) continue;
        JsonNode d = choice.path("delta");
        if (d.path("content").isTextual()) text.append(d.get("content").asText());
        if (d.path("refusal").isTextual()) refusal.append(d.get("refusal").asText());
        for (JsonNode tc : d.path("tool_calls")) {
          String[] parts = calls.computeIfAbsent(tc.get("index").asInt(), i -> new String[] {"", "", ""});
          if (tc.path("id").isTextual()) parts[0] = tc.get("id").asText();
          if (tc.at("/function/name").isTextual()) parts[1] = tc.at("/function/name").asText();
          if (tc.at("/function/arguments").isTextual()) parts[2] += tc.at("/function/arguments").asText();
        }
        if (choice.path("finish_reason").isTextual()) finish = choice.get("finish_reason").asText();
      }
    }
    List<ToolCall> toolCalls = calls.values().stream().map(p -> new ToolCall(p[0], p[1], p[2])).toList();
    return new Answer(text.toString(), toolCalls, finish(finish), usage, model, id,
        refusal.length() == 0 ? Optional.empty() : Optional.of(refusal.toString()), fingerprint,
        finish.isEmpty() ? Optional.empty() : Optional.of(finish));
  }

  private static List<ToolCall> toolCalls(JsonNode message) {
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      calls.add(new ToolCall(c.get("id").asText(), c.at("/function/name").asText(), c.at("/function/arguments").asText()));
    }
    return calls;
  }

    private static FinishReason finish(String wire) {
    return switch (wire) {
      case "stop" -> FinishReason.STOP;
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> throw new IllegalArgumentException("recorded finish_reason '" + wire + "'");
    };
  }

  /** The usage a recorded {@code usage} object reports; empty for a missing or null one. */
  public static Optional<Usage> usage(JsonNode u) {
    if (u == null || u.isNull()) return Optional.empty();
    Usage usage = Usage.of(u.get("prompt_tokens").asInt(), u.get("completion_tokens").asInt());
    JsonNode cached = u.at("/prompt_tokens_details/cached_tokens");
    if (cached.isInt()) usage = usage.withCachedInputTokens(cached.asInt());
    JsonNode reasoning = u.at("/completion_tokens_details/reasoning_tokens");
    if (reasoning.isInt()) usage = usage.withReasoningTokens(reasoning.asInt());
    return Optional.of(usage);
  }

  private static List<ContentPart.Text> textParts(JsonNode content) {
    List<ContentPart.Text> parts = new ArrayList<>();
    for (JsonNode p : content) parts.add(ContentPart.text(p.path("text").asText("")));
    return parts;
  }

  /** A {@code file} part: {@code file_data} as a data URL, or {@code file_id}; {@code filename} when given. */
  private static ContentPart file(JsonNode f) {
    Optional<String> name = textOrEmpty(f.get("filename"));
    if (has(f, "file_id")) return new ContentPart.DocumentFile(f.get("file_id").asText(), name);
    String url = f.get("file_data").asText();
    int comma = url.indexOf(',');
    String mediaType = url.substring("data:".length(), url.indexOf(';'));
    return new ContentPart.DocumentBytes(Base64.getDecoder().decode(url.substring(comma + 1)), mediaType, name);
  }

  private static String joinText(JsonNode content) {
    if (content == null || content.isNull()) return "";
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : content) sb.append(p.path("text").asText(""));
    return sb.toString();
  }

  private static Optional<String> textOrEmpty(JsonNode n) {
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }

  private static boolean has(JsonNode n, String field) {
    return n != null && n.has(field) && !n.get(field).isNull();
  }

  /** Copy of {@code node} without {@code field}. */
  public static ObjectNode without(JsonNode node, String field) {
    ObjectNode copy = node.deepCopy();
    copy.remove(field);
    return copy;
  }

  /** {@code max_tokens} or {@code max_completion_tokens}, whichever the body sets. */
  public static OptionalInt maxTokensOf(JsonNode body) {
    if (has(body, "max_tokens")) return OptionalInt.of(body.get("max_tokens").asInt());
    if (has(body, "max_completion_tokens")) return OptionalInt.of(body.get("max_completion_tokens").asInt());
    return OptionalInt.empty();
  }

  /** The JSON of each {@code data:} line of an SSE body, in order, without the {@code [DONE]} marker. */
  public static List<JsonNode> chunks(byte[] sse) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : new String(sse, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) out.add(tree(line.substring(6).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** {@code json} as a tree; an AssertionError when it is not JSON. */
  public static JsonNode tree(byte[] json) {
    try {
      return ProviderTestKit.objectMapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
