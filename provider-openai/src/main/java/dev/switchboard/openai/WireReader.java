package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads response bodies and stream chunks with Jackson's streaming parser into {@link Wire}
 * holders. Unknown fields are skipped without building trees, except those an
 * {@link ExtraFields} hook asks for. Lenient about what OpenAI-compatible servers vary (null
 * where OpenAI sends a value, {@code content} as an array of parts, numeric error codes);
 * strict about structure: a body that is not a JSON object fails with {@link IOException}.
 */
final class WireReader {
  private final ObjectMapper mapper;

  WireReader(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  Wire.Body readBody(byte[] json, ExtraFields extras) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(json)) {
      return readBody(p, extras, null);
    }
  }

  /** Reads a stream chunk; with the text at hand, a wanted field that repeats is not built into a tree. */
  Wire.Body readBody(String json, ExtraFields extras) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(json)) {
      return readBody(p, extras, json);
    }
  }

  private Wire.Body readBody(JsonParser p, ExtraFields extras, String source) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("expected a JSON object");
    Wire.Body body = new Wire.Body();
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> body.id = text(p);
        case "model" -> body.model = text(p);
        case "system_fingerprint" -> body.systemFingerprint = text(p);
        case "service_tier" -> body.serviceTier = text(p);
        case "usage" -> {
          if (t == JsonToken.START_OBJECT) body.usage = readUsage(p);
          else p.skipChildren();
        }
        case "error" -> body.error = t == JsonToken.VALUE_NULL ? null : readError(p);
        case "choices" -> {
          if (t == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              Wire.Choice c = readChoice(p, extras, source);
              body.choiceCount++;
              if (c.index == 0 && body.choice == null) body.choice = c;
            }
          } else {
            p.skipChildren();
          }
        }
        default -> extra(p, -1, name, extras);
      }
    }
    if (p.nextToken() != null) throw new IOException("unexpected content after the JSON object");
    return body;
  }

  private Wire.Choice readChoice(JsonParser p, ExtraFields extras, String source) throws IOException {
    Wire.Choice c = new Wire.Choice();
    List<Object[]> pending = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "index" -> c.index = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
        case "finish_reason" -> c.finishReason = text(p);
        case "message", "delta" -> {
          if (t == JsonToken.START_OBJECT) readMessage(p, c);
          else p.skipChildren();
        }
        default -> {
          if (extras.wants(true, name)) {
            JsonNode value = wanted(p, t, name, extras, source);
            if (value == null) continue; // repeats what the hook has: no tree built
            // The choice's index may come after this field (Azure puts it last): deliver at the end.
            if (pending == null) pending = new ArrayList<>(2);
            pending.add(new Object[] {name, value});
          } else {
            p.skipChildren();
          }
        }
      }
    }
    if (pending != null) {
      for (Object[] e : pending) extras.accept(c.index, (String) e[0], (JsonNode) e[1]);
    }
    return c;
  }

  private void readMessage(JsonParser p, Wire.Choice c) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "content" -> c.content = t == JsonToken.START_ARRAY ? joinTextParts(p) : text(p);
        case "refusal" -> c.refusal = text(p);
        // Some OpenAI-compatible servers stream reasoning text beside content: reasoning_content (vLLM, DeepSeek),
        // reasoning (OpenRouter, Ollama, newer vLLM); a server sending both repeats itself, so reasoning_content wins.
        case "reasoning_content" -> c.reasoning = text(p);
        case "reasoning" -> {
          String r = t == JsonToken.VALUE_STRING ? p.getText() : null;
          if (r == null) p.skipChildren();
          else if (c.reasoning == null) c.reasoning = r;
        }
        case "tool_calls" -> {
          if (t == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) c.addToolCall(readToolCall(p));
          } else {
            p.skipChildren();
          }
        }
        case "function_call" -> {
          // The legacy single function call: no id, no index.
          if (t == JsonToken.START_OBJECT) {
            Wire.ToolCallPart part = new Wire.ToolCallPart();
            part.index = 0;
            readFunction(p, part);
            c.addToolCall(part);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private Wire.ToolCallPart readToolCall(JsonParser p) throws IOException {
    Wire.ToolCallPart part = new Wire.ToolCallPart();
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "index" -> part.index = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
        case "id" -> part.id = text(p);
        case "function" -> {
          if (t == JsonToken.START_OBJECT) readFunction(p, part);
          else p.skipChildren();
        }
        default -> p.skipChildren();
      }
    }
    return part;
  }

  private static void readFunction(JsonParser p, Wire.ToolCallPart part) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "name" -> part.name = text(p);
        case "arguments" -> {
          // A few compatible servers send the arguments as an object instead of JSON text.
          if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            part.arguments = p.readValueAsTree().toString();
          } else {
            part.arguments = text(p);
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private static Wire.WireUsage readUsage(JsonParser p) throws IOException {
    Wire.WireUsage u = new Wire.WireUsage();
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "prompt_tokens" -> u.promptTokens = intOr(p, t, 0);
        case "completion_tokens" -> u.completionTokens = intOr(p, t, 0);
        case "prompt_tokens_details" -> u.cachedTokens = detail(p, t, "cached_tokens");
        case "completion_tokens_details" -> u.reasoningTokens = detail(p, t, "reasoning_tokens");
        default -> p.skipChildren();
      }
    }
    return u;
  }

  /** Reads an error value: an object with message/type/param/code, or a bare string. */
  OpenAiError readError(JsonParser p) throws IOException {
    return toError(tree(p));
  }

  static OpenAiError toError(JsonNode node) {
    if (node.isTextual()) {
      return new OpenAiError(node.asText(), Optional.empty(), Optional.empty(), Optional.empty(), node);
    }
    if (!node.isObject()) {
      return new OpenAiError(node.toString(), Optional.empty(), Optional.empty(), Optional.empty(), node);
    }
    JsonNode message = node.get("message");
    return new OpenAiError(
        message == null || message.isNull() ? "" : message.isTextual() ? message.asText() : message.toString(),
        scalar(node.get("type")), scalar(node.get("param")), scalar(node.get("code")), node);
  }

  /** Parses an error body; empty when it is not JSON or has no {@code error} member. */
  Optional<OpenAiError> parseError(byte[] body) {
    if (body == null || body.length == 0) return Optional.empty();
    try {
      JsonNode root = mapper.readTree(body);
      if (root == null || !root.isObject()) return Optional.empty();
      JsonNode error = root.get("error");
      if (error != null && !error.isNull()) return Optional.of(toError(error));
      // Some compatible servers put message/type/code at the top level.
      if (root.get("message") != null && (root.get("type") != null || root.get("code") != null)) {
        return Optional.of(toError(root));
      }
      return Optional.empty();
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }

  private static Optional<String> scalar(JsonNode n) {
    if (n == null || n.isNull() || n.isContainerNode()) return Optional.empty();
    String s = n.asText();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static Integer detail(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    Integer value = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      if (name.equals(field) && v == JsonToken.VALUE_NUMBER_INT) value = p.getIntValue();
      else p.skipChildren();
    }
    return value;
  }

  private static int intOr(JsonParser p, JsonToken t, int fallback) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) return p.getIntValue();
    p.skipChildren();
    return fallback;
  }

  private static String text(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) return p.getText();
    if (t == JsonToken.VALUE_NULL) return null;
    if (t.isScalarValue()) return p.getText();
    p.skipChildren();
    return null;
  }

  private static String joinTextParts(JsonParser p) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String name;
      while ((name = p.nextFieldName()) != null) {
        p.nextToken();
        if (name.equals("text") && p.currentToken() == JsonToken.VALUE_STRING) sb.append(p.getText());
        else p.skipChildren();
      }
    }
    return sb.toString();
  }

  private void extra(JsonParser p, int choice, String name, ExtraFields extras) throws IOException {
    if (extras.wants(false, name)) extras.accept(choice, name, tree(p));
    else p.skipChildren();
  }

  /**
   * A wanted object's tree, or null when {@code source} (the chunk's text) is at hand and the
   * hook says the object's text repeats what it already has: then the object is only skipped and
   * its span compared in place, which allocates nothing (Azure repeats its verdicts on every chunk).
   */
  private JsonNode wanted(JsonParser p, JsonToken t, String name, ExtraFields extras, String source) throws IOException {
    if (source == null || t != JsonToken.START_OBJECT) return tree(p);
    long start = tokenStart(p);
    // Where this Jackson counts as expected (the brace is there), the closing brace's offset is counted alike.
    boolean counted = start >= 0 && start < source.length() && source.charAt((int) start) == '{';
    if (!counted) start = p.currentTokenLocation().getCharOffset();
    p.skipChildren();
    long end = counted ? tokenStart(p) + 1 : p.currentLocation().getCharOffset(); // just past the closing brace
    if (start < 0 || end > source.length() || start >= end) {
      throw new IOException("cannot locate the value of '" + name + "' in the chunk");
    }
    if (extras.repeats(name, source, (int) start, (int) end)) return null;
    JsonNode node = mapper.readTree(source.substring((int) start, (int) end));
    return node == null ? NullNode.getInstance() : node;
  }

  /**
   * Where the current token starts, as {@link JsonParser#currentTokenLocation()} computes it for
   * Jackson's own parsers but without allocating a JsonLocation; the caller checks the character
   * there and falls back to the locations if a Jackson version counts differently.
   */
  private static long tokenStart(JsonParser p) {
    return p instanceof ParserBase base ? base.getTokenCharacterOffset() - 1 : -1;
  }

  private JsonNode tree(JsonParser p) throws IOException {
    JsonNode node = mapper.readTree(p);
    return node == null ? NullNode.getInstance() : node;
  }
}
