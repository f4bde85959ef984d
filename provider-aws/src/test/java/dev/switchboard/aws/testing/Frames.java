package dev.switchboard.aws.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** Encodes ConverseStream frames (with the SDK's encoder) for scenarios no recording covers. */
public final class Frames {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static Frames create() {
    return new Frames();
  }

  public Frames event(String type, String json) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":event-type", HeaderValue.fromString(type));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("event"));
    return frame(h, json);
  }

  public Frames exception(String type, String json) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":exception-type", HeaderValue.fromString(type));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("exception"));
    return frame(h, json);
  }

  public Frames frame(Map<String, HeaderValue> headers, String payload) {
    ByteBuffer b = new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  public Frames raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** A short text answer: start, two deltas, stop, end_turn, usage. */
  public Frames helloWorld() {
    return event("messageStart", "{\"role\":\"assistant\"}")
        .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"}}")
        .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" world\"}}")
        .event("contentBlockStop", "{\"contentBlockIndex\":0}")
        .event("messageStop", "{\"stopReason\":\"end_turn\"}")
        .event("metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":2,\"totalTokens\":5},\"metrics\":{\"latencyMs\":42}}");
  }

  public byte[] bytes() {
    return out.toByteArray();
  }
}
