package dev.switchboard.testkit.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A recorded response: status, headers (names case-insensitive) and body bytes exactly as
 * recorded ({@link #decodedBody()} undoes {@code Content-Encoding: gzip}).
 */
public record RecordedResponse(int status, String message, Map<String, List<String>> headers, byte[] body) {
  public RecordedResponse {
    Objects.requireNonNull(message, "message == null");
    headers = Recorded.caseInsensitive(headers);
    Objects.requireNonNull(body, "body == null");
  }

  static RecordedResponse read(JsonNode node) {
    JsonNode status = node.get("status");
    if (status == null || status.get("code") == null) throw new IllegalArgumentException("response without status.code");
    String message = status.get("message") == null ? "" : status.get("message").asText("");
    return new RecordedResponse(status.get("code").asInt(), message, Recorded.headers(node.get("headers")), Recorded.body(node));
  }

  /** The first value of header {@code name} (any case). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Whether the recorded body is gzip-compressed ({@code Content-Encoding: gzip}). */
  public boolean gzipped() {
    return header("content-encoding").map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
  }

  /** The body with any gzip content encoding undone. */
  public byte[] decodedBody() {
    if (!gzipped()) return body.clone();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("recorded gzip body does not decompress", e);
    }
  }

  /** The decoded body as UTF-8 text. */
  public String text() {
    return new String(decodedBody(), StandardCharsets.UTF_8);
  }

  /** The decoded body parsed as JSON; empty when it is not JSON (e.g. an SSE stream). */
  public Optional<JsonNode> json() {
    return Recorded.json(decodedBody());
  }

  /** The content type, if recorded. */
  public Optional<String> contentType() {
    return header("content-type");
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return "RecordedResponse[" + status + ", " + body.length + " bytes]";
  }
}
