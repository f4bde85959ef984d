package dev.switchboard.openai.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ContentPart;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which parts of a recorded Chat Completions request body the typed {@code ChatRequest} API
 * cannot express, so that a user would have to send them as raw provider options (or lose
 * them). Written from the wire format, apart from the codec: each item names the JSON path
 * kind, e.g. {@code tools[].function.strict} or {@code top-level n}. {@code before} asks for
 * the answer as it was before issue 14 (no strict tools, schema descriptions, image detail,
 * several text parts in system / assistant turns, or file parts).
 */
public final class TypedApiCoverage {
  private static final Set<String> TOP = Set.of("model", "messages", "stream", "stream_options", "temperature", "top_p",
      "max_tokens", "max_completion_tokens", "stop", "seed", "user", "tools", "tool_choice", "response_format");

  /** Top-level fields typed after the first count: {@code reasoning(...)}, {@code parallelToolCalls(...)}. */
  private static final Set<String> TYPED_SINCE_14 = Set.of("reasoning_effort", "parallel_tool_calls");

  private TypedApiCoverage() {}

  public static List<String> unexpressed(JsonNode body, boolean before) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (TOP.contains(k) || body.get(k).isNull()) continue;
      // One answer is what every request gets: n = 1 says nothing the typed API does not.
      if (k.equals("n") && body.get(k).asInt() == 1 && !before) continue;
      if (!before && TYPED_SINCE_14.contains(k)) continue;
      out.add("top-level " + k);
    }
    for (JsonNode t : body.path("tools")) {
      if (!t.path("type").asText().equals("function")) out.add("tools[].type " + t.path("type").asText());
      extra(t.path("function"), before ? Set.of("name", "description", "parameters")
          : Set.of("name", "description", "parameters", "strict"), "tools[].function.", out);
      if (before && t.path("function").path("strict").asBoolean(false)) out.add("tools[].function.strict");
    }
    JsonNode f = body.path("response_format");
    if (f.path("type").asText().equals("json_schema")) {
      extra(f.path("json_schema"), before ? Set.of("name", "schema", "strict") : Set.of("name", "schema", "strict", "description"),
          "response_format.json_schema.", out);
    }
    for (JsonNode m : body.path("messages")) message(m, before, out);
    return out.stream().distinct().toList();
  }

  private static void message(JsonNode m, boolean before, List<String> out) {
    String role = m.path("role").asText();
    JsonNode content = m.get("content");
    switch (role) {
      case "system", "developer" -> {
        extra(m, Set.of("role", "content"), role + ".", out);
        textParts(content, before, role, out);
      }
      case "assistant" -> {
        extra(m, Set.of("role", "content", "tool_calls", "refusal"), "assistant.", out);
        textParts(content, before, role, out);
      }
      case "tool" -> {
        extra(m, Set.of("role", "content", "tool_call_id"), "tool.", out);
        // Several text parts: ToolResultMessage of text parts since tool results took parts (issue 14).
        if (before && content != null && content.isArray() && content.size() > 1) out.add("tool.content with several parts");
      }
      case "user" -> {
        extra(m, Set.of("role", "content"), "user.", out);
        if (content == null || content.isTextual()) return;
        for (JsonNode p : content) userPart(p, before, out);
      }
      default -> out.add("role " + role);
    }
  }

  private static void textParts(JsonNode content, boolean before, String role, List<String> out) {
    if (content == null || !content.isArray()) return;
    for (JsonNode p : content) {
      if (!p.path("type").asText().equals("text")) out.add(role + ".content part " + p.path("type").asText());
    }
    if (before && content.size() > 1) out.add(role + ".content with several text parts");
  }

  private static void userPart(JsonNode p, boolean before, List<String> out) {
    String type = p.path("type").asText();
    switch (type) {
      case "text" -> extra(p, Set.of("type", "text"), "user text part.", out);
      case "image_url" -> {
        extra(p.path("image_url"), before ? Set.of("url") : Set.of("url", "detail"), "image_url.", out);
        if (!before && p.at("/image_url/detail").isTextual()) {
          try {
            ContentPart.ImageDetail.valueOf(p.at("/image_url/detail").asText().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            out.add("image_url.detail " + p.at("/image_url/detail").asText());
          }
        }
      }
      case "file" -> {
        if (before) {
          out.add("user part file");
          return;
        }
        JsonNode file = p.path("file");
        extra(file, Set.of("file_data", "file_id", "filename"), "file.", out);
        if (file.has("file_data")) {
          String url = file.get("file_data").asText();
          int semi = url.indexOf(';');
          String mediaType = url.startsWith("data:") && semi > 0 ? url.substring(5, semi) : "";
          if (!ContentPart.DOCUMENT_FORMATS.containsKey(mediaType)) out.add("file.file_data media type " + mediaType);
        }
      }
      default -> out.add("user part " + type);
    }
  }

  private static void extra(JsonNode node, Set<String> known, String prefix, List<String> out) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k) && !node.get(k).isNull()) out.add(prefix + k);
    }
  }
}
