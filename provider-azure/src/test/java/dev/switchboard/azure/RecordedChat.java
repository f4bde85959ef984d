package dev.switchboard.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.FinishReason;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.Usage;
import dev.switchboard.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test-side reading of recorded Azure Chat Completions traffic with plain Jackson trees,
 * independent of the code under test: a recorded request as the {@link ChatRequest} that would
 * produce it, the answer a recorded response or stream holds, and the content-filter verdicts it
 * carries. (Modelled on the OpenAI module's replay helper; Azure adds the filter fields.)
 */
final class RecordedChat {
  private static final Set<String> MAPPED = Set.of("model", "messages", "stream", "stream_options", "temperature", "top_p",
      "max_tokens", "max_completion_tokens", "stop", "seed", "user", "tools", "tool_choice", "response_format");

  private RecordedChat() {}

  /** One category's verdict: filtered, and severity or detected when given. */
  record Verdict(boolean filtered, Optional<String> severity, Optional<Boolean> detected) {}

  /** What a recorded answer says. {@code completionFilters} is choice 0's verdicts, merged over a stream. */
  record Answer(String text, List<ToolCall> toolCalls, FinishReason finishReason, Optional<Usage> usage, String model,
      String id, Map<String, Verdict> promptFilters, Map<String, Verdict> completionFilters) {}

  static ChatRequest toRequest(JsonNode body) {
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
    for (JsonNode t : body.path("tools")) {
      JsonNode f = t.get("function");
      JsonNode params = f.get("parameters");
      b.tool(new ToolDefinition(f.get("name").asText(), f.path("description").asText(""),
          params == null ? "{\"type\":\"object\",\"properties\":{}}" : params.toString()));
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
            f.at("/json_schema/schema").toString(), f.at("/json_schema/strict").asBoolean(false)));
        default -> { }
      }
    }
    body.properties().forEach(e -> {
      if (!MAPPED.contains(e.getKey()) && !e.getValue().isNull()) {
        b.providerOption(AzureOpenAiProviderFactory.TYPE, e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class));
      }
    });
    return b.build();
  }

  private static Message message(JsonNode m) {
    String role = m.get("role").asText();
    JsonNode content = m.get("content");
    switch (role) {
      case "system", "developer" -> {
        return Message.system(joinText(content));
      }
      case "user" -> {
        if (content.isTextual()) return Message.user(content.asText());
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode p : content) {
          switch (p.get("type").asText()) {
            case "text" -> parts.add(ContentPart.text(p.get("text").asText()));
            case "image_url" -> parts.add(ContentPart.imageUrl(p.at("/image_url/url").asText()));
            // Switchboard has no audio part; the recorded 400 is about that part's type.
            default -> parts.add(ContentPart.text("[" + p.get("type").asText() + " part]"));
          }
        }
        return Message.user(parts.toArray(ContentPart[]::new));
      }
      case "assistant" -> {
        return new AssistantMessage(content == null || content.isNull() ? "" : joinText(content), toolCalls(m), Optional.empty());
      }
      case "tool" -> {
        return Message.toolResult(m.get("tool_call_id").asText(), joinText(content));
      }
      default -> throw new IllegalArgumentException("recorded role " + role);
    }
  }

  static Answer fromResponse(JsonNode body) {
    JsonNode choice = body.at("/choices/0");
    JsonNode message = choice.get("message");
    return new Answer(message.path("content").isNull() ? "" : message.path("content").asText(""), toolCalls(message),
        finish(choice.path("finish_reason").asText("")), usage(body.get("usage")), body.path("model").asText(""),
        body.path("id").asText(""), promptVerdicts(List.of(body)), verdicts(choice.get("content_filter_results"), new TreeMap<>()));
  }

  static Answer fromChunks(List<JsonNode> chunks) {
    StringBuilder text = new StringBuilder();
    TreeMap<Integer, String[]> calls = new TreeMap<>();
    String finish = "";
    Optional<Usage> usage = Optional.empty();
    String model = "";
    String id = "";
    Map<String, Verdict> completion = new TreeMap<>();
    for (JsonNode c : chunks) {
      if (model.isEmpty()) model = c.path("model").asText("");
      if (id.isEmpty()) id = c.path("id").asText("");
      if (has(c, "usage")) usage = usage(c.get("usage"));
      for (JsonNode choice : c.path("choices")) {
        if (choice.path("index").asInt(0) != 0) continue;
        verdicts(choice.get("content_filter_results"), completion);
        JsonNode d = choice.path("delta");
        if (d.path("content").isTextual()) text.append(d.get("content").asText());
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
    return new Answer(text.toString(), toolCalls, finish(finish), usage, model, id, promptVerdicts(chunks), completion);
  }

  /** The verdicts of {@code innererror.content_filter_result} in a recorded error body. */
  static Map<String, Verdict> errorVerdicts(JsonNode errorBody) {
    return verdicts(errorBody.at("/error/innererror/content_filter_result"), new TreeMap<>());
  }

  private static Map<String, Verdict> promptVerdicts(List<JsonNode> bodies) {
    Map<String, Verdict> out = new TreeMap<>();
    for (JsonNode b : bodies) {
      for (JsonNode p : b.path("prompt_filter_results")) {
        // Azure names it content_filter_result (singular) when the prompt holds an image.
        verdicts(p.has("content_filter_results") ? p.get("content_filter_results") : p.get("content_filter_result"), out);
      }
    }
    return out;
  }

  /** Adds {@code node}'s categories to {@code into}: filtered or detected if any part was, the highest severity. */
  private static Map<String, Verdict> verdicts(JsonNode node, Map<String, Verdict> into) {
    if (node == null || !node.isObject()) return into;
    List<String> order = List.of("safe", "low", "medium", "high");
    node.properties().forEach(e -> {
      JsonNode v = e.getValue();
      if (!v.isObject() || e.getKey().equals("error")) return;
      Verdict now = new Verdict(v.path("filtered").asBoolean(false),
          v.hasNonNull("severity") ? Optional.of(v.get("severity").asText()) : Optional.empty(),
          v.has("detected") ? Optional.of(v.get("detected").asBoolean()) : Optional.empty());
      into.merge(e.getKey(), now, (a, b) -> new Verdict(a.filtered() || b.filtered(),
          order.indexOf(b.severity().orElse("")) > order.indexOf(a.severity().orElse("")) ? b.severity() : a.severity(),
          a.detected().isPresent() || b.detected().isPresent()
              ? Optional.of(a.detected().orElse(false) || b.detected().orElse(false)) : Optional.empty()));
    });
    return into;
  }

  /** {@code results} in the shape of {@link Verdict}s, to compare with a recording. */
  static Map<String, Verdict> verdictsOf(ContentFilterResults results) {
    Map<String, Verdict> out = new TreeMap<>();
    results.categories().forEach((k, v) -> out.put(k, new Verdict(v.filtered(), v.severity(), v.detected())));
    return out;
  }

  /** Every prompt's verdicts merged, to compare with {@link Answer#promptFilters()}. */
  static Map<String, Verdict> verdictsOf(PromptFilterResults results) {
    ContentFilterResults merged = ContentFilterResults.EMPTY;
    for (PromptFilterResults.Entry e : results.prompts()) merged = merged.merge(e.results());
    return verdictsOf(merged);
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

  static Optional<Usage> usage(JsonNode u) {
    if (u == null || u.isNull()) return Optional.empty();
    Usage usage = Usage.of(u.get("prompt_tokens").asInt(), u.get("completion_tokens").asInt());
    JsonNode cached = u.at("/prompt_tokens_details/cached_tokens");
    if (cached.isInt()) usage = usage.withCachedInputTokens(cached.asInt());
    JsonNode reasoning = u.at("/completion_tokens_details/reasoning_tokens");
    if (reasoning.isInt()) usage = usage.withReasoningTokens(reasoning.asInt());
    return Optional.of(usage);
  }

  private static String joinText(JsonNode content) {
    if (content == null || content.isNull()) return "";
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : content) sb.append(p.path("text").asText(""));
    return sb.toString();
  }

  private static boolean has(JsonNode n, String field) {
    return n != null && n.has(field) && !n.get(field).isNull();
  }
}
