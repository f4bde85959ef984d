package dev.switchboard.testkit.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Shared decoding of cassette nodes. */
final class Recorded {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final byte[] NONE = new byte[0];

  private Recorded() {}

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw new IllegalArgumentException("missing '" + field + "'");
    return scalar(v);
  }

  /** A scalar as text; {@code !!binary} values (BinaryNode) are decoded as UTF-8. */
  static String scalar(JsonNode v) {
    if (v.isBinary()) {
      try {
        return new String(v.binaryValue(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return v.asText();
  }

  static Map<String, List<String>> headers(JsonNode node) {
    Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (node == null || !node.isObject()) return out;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> values = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      if (e.getValue().isArray()) {
        for (JsonNode v : e.getValue()) values.add(scalar(v));
      } else if (!e.getValue().isNull()) {
        values.add(scalar(e.getValue()));
      }
    }
    return out;
  }

  static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.merge(k, List.copyOf(v), (a, b) -> {
      List<String> all = new ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    }));
    return Collections.unmodifiableMap(copy);
  }

  /** The body of a request or response node in any of the recorded forms. */
  static byte[] body(JsonNode node) {
    JsonNode parsed = node.get("parsed_body");
    if (parsed != null && !parsed.isNull()) {
      try {
        return JSON.writeValueAsBytes(parsed);
      } catch (IOException e) {
        throw new IllegalArgumentException("parsed_body cannot be written as JSON", e);
      }
    }
    JsonNode body = node.get("body");
    if (body == null || body.isNull()) return NONE;
    if (body.isObject()) {
      JsonNode s = body.get("string");
      if (s == null || s.isNull()) return NONE;
      return bytes(s);
    }
    return bytes(body);
  }

  private static byte[] bytes(JsonNode v) {
    if (v.isBinary()) {
      try {
        return v.binaryValue();
      } catch (IOException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return v.asText().getBytes(StandardCharsets.UTF_8);
  }

  static Optional<JsonNode> json(byte[] body) {
    if (body.length == 0) return Optional.empty();
    try {
      return Optional.ofNullable(JSON.readTree(body));
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }
}
