package dev.switchboard.testkit.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A recorded request: method (upper-cased), URI, headers (names case-insensitive), and the body
 * as bytes (empty when none was recorded). {@code json()} parses a JSON body.
 */
public record RecordedRequest(String method, String uri, Map<String, List<String>> headers, byte[] body) {
  public RecordedRequest {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(uri, "uri == null");
    headers = Recorded.caseInsensitive(headers);
    Objects.requireNonNull(body, "body == null");
  }

  static RecordedRequest read(JsonNode node) {
    String method = Recorded.text(node, "method").toUpperCase(Locale.ROOT);
    String uri = Recorded.text(node, "uri");
    return new RecordedRequest(method, uri, Recorded.headers(node.get("headers")), Recorded.body(node));
  }

  /** The URI's path, without query. */
  public String path() {
    return java.net.URI.create(uri).getRawPath();
  }

  /** The first value of header {@code name} (any case). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body parsed as JSON; empty when there is none or it is not JSON. */
  public Optional<JsonNode> json() {
    return Recorded.json(body);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return "RecordedRequest[" + method + " " + uri + ", " + body.length + " bytes]";
  }
}
