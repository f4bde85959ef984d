package dev.switchboard.examples.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP and JSON helpers shared by the simulators, and the canned answers they give. */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("\\s*\\S+");

  private Wire() {}

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** The body as a JSON object, or empty when it is not one. */
  static Optional<JsonNode> parseObject(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    try {
      send(ex, status, "application/json", JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Starts a chunked response whose parts the caller writes and flushes one by one. */
  static OutputStream startStream(HttpExchange ex, String contentType) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(200, 0);
    return ex.getResponseBody();
  }

  static String requestId() {
    return UUID.randomUUID().toString();
  }

  /** Percent-decodes one URL path segment ('+' stays a plus, as in paths). */
  static String decodeSegment(String raw) {
    return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The value of {@code name} in a raw query string, decoded. */
  static Optional<String> queryParameter(String rawQuery, String name) {
    if (rawQuery == null) return Optional.empty();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decodeSegment(key).equals(name)) return Optional.of(eq < 0 ? "" : decodeSegment(pair.substring(eq + 1)));
    }
    return Optional.empty();
  }

  /** The text of every message of a chat request (OpenAI or Bedrock shape), for token counting. */
  static String promptText(JsonNode messages, JsonNode system) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode list : new JsonNode[] {system, messages}) {
      if (list == null || !list.isArray()) continue;
      for (JsonNode m : list) {
        appendText(sb, m.has("content") ? m.get("content") : m);
      }
    }
    return sb.toString();
  }

  private static void appendText(StringBuilder sb, JsonNode content) {
    if (content == null) return;
    if (content.isTextual()) sb.append(content.asText()).append(' ');
    else if (content.isArray()) content.forEach(part -> appendText(sb, part));
    else if (content.isObject() && content.has("text")) sb.append(content.get("text").asText()).append(' ');
  }

  /** A rough token count: one per word, plus a few per message, the way chat templates add some. */
  static int countTokens(String text, int messages) {
    return tokens(text).size() + 3 * messages;
  }

  /** Splits an answer into stream tokens: each word with its leading whitespace. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  /** The first {@code max} tokens of {@code text}, and whether it was cut. */
  static List<String> limit(List<String> tokens, int max) {
    return max >= 0 && max < tokens.size() ? tokens.subList(0, max) : tokens;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
