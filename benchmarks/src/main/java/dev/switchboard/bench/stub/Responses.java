package dev.switchboard.bench.stub;

import dev.switchboard.bench.Payloads;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** The stub's pre-encoded responses, with the headers each provider really sends. */
final class Responses {
  static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");

  /** A whole response, and for streams its head and per-event chunks too (for pacing). */
  record Canned(byte[] whole, byte[] head, List<byte[]> events) {}

  private final Canned openAiJson;
  private final Canned openAiSse;
  private final Canned azureJson;
  private final Canned azureSse;
  private final Canned bedrockJson;
  private final Canned bedrockStream;
  private final Canned notFound;

  Responses() {
    String openAiHeaders = "x-request-id: req_9f1c2a7b3d4e5f60718293a4b5c6d7e8\r\n"
        + "openai-processing-ms: 412\r\nopenai-version: 2020-10-01\r\n"
        + "x-ratelimit-limit-requests: 10000\r\nx-ratelimit-limit-tokens: 2000000\r\n"
        + "x-ratelimit-remaining-requests: 9999\r\nx-ratelimit-remaining-tokens: 1999740\r\n"
        + "x-ratelimit-reset-requests: 6ms\r\nx-ratelimit-reset-tokens: 7ms\r\n";
    String azureHeaders = "apim-request-id: 6c1d9b9e-8f1a-4f37-9d0e-2b7c7c0e5a11\r\n"
        + "x-request-id: 0a7c1f5e-3b2d-4c8e-9f6a-1d2e3f4a5b6c\r\nx-ms-region: East US 2\r\n"
        + "x-ms-deployment-name: gpt-4o-mini\r\nx-ratelimit-remaining-requests: 249\r\n"
        + "x-ratelimit-remaining-tokens: 249740\r\nazureml-model-session: d007-20250401\r\n";
    String bedrockHeaders = "x-amzn-RequestId: 8d6f4c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f\r\n";
    openAiJson = json(Payloads.openAiResponse(), openAiHeaders);
    openAiSse = stream("text/event-stream; charset=utf-8", openAiHeaders, sseEvents(Payloads.openAiChunks()));
    azureJson = json(Payloads.azureResponse(), azureHeaders);
    azureSse = stream("text/event-stream; charset=utf-8", azureHeaders, sseEvents(Payloads.azureChunks()));
    bedrockJson = json(Payloads.bedrockResponse(), bedrockHeaders);
    bedrockStream = stream("application/vnd.amazon.eventstream", bedrockHeaders, frames());
    byte[] missing = ascii("{\"error\":{\"message\":\"no such route on the benchmark stub\"}}");
    notFound = new Canned(concat(ascii("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
        + missing.length + "\r\n\r\n"), missing), null, null);
  }

  /** The response for a request head and body. */
  Canned route(String head, byte[] body, int length) {
    int sp = head.indexOf(' ');
    int sp2 = head.indexOf(' ', sp + 1);
    String path = head.substring(sp + 1, sp2);
    boolean stream = contains(body, length, STREAM_TRUE);
    if (path.startsWith("/v1/chat/completions")) return stream ? openAiSse : openAiJson;
    if (path.startsWith("/openai/")) return stream ? azureSse : azureJson;
    if (path.startsWith("/model/")) {
      int q = path.indexOf('?');
      String p = q < 0 ? path : path.substring(0, q);
      if (p.endsWith("/converse-stream")) return bedrockStream;
      if (p.endsWith("/converse")) return bedrockJson;
    }
    return notFound;
  }

  private static final byte[] STREAM_TRUE = ascii("\"stream\":true");

  private static boolean contains(byte[] body, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }

  private static Canned json(byte[] body, String headers) {
    byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
        + headers + "\r\n");
    return new Canned(concat(head, body), null, null);
  }

  private static Canned stream(String contentType, String headers, List<byte[]> events) {
    byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n"
        + headers + "\r\n");
    List<byte[]> chunks = new ArrayList<>(events.size());
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.writeBytes(head);
    for (byte[] e : events) {
      byte[] chunk = concat(ascii(Integer.toHexString(e.length) + "\r\n"), e, ascii("\r\n"));
      chunks.add(chunk);
      whole.writeBytes(chunk);
    }
    whole.writeBytes(LAST_CHUNK);
    return new Canned(whole.toByteArray(), head, chunks);
  }

  private static List<byte[]> sseEvents(List<String> chunks) {
    List<byte[]> events = new ArrayList<>(chunks.size() + 1);
    for (String c : chunks) events.add(("data: " + c + "\n\n").getBytes(StandardCharsets.UTF_8));
    events.add(ascii("data: [DONE]\n\n"));
    return events;
  }

  private static List<byte[]> frames() {
    List<byte[]> events = new ArrayList<>();
    for (Payloads.Frame f : Payloads.bedrockFrames()) {
      Map<String, HeaderValue> h = new LinkedHashMap<>();
      h.put(":event-type", HeaderValue.fromString(f.eventType()));
      h.put(":content-type", HeaderValue.fromString("application/json"));
      h.put(":message-type", HeaderValue.fromString("event"));
      ByteBuffer b = new Message(h, f.payload().getBytes(StandardCharsets.UTF_8)).toByteBuffer();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      events.add(bytes);
    }
    return events;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
