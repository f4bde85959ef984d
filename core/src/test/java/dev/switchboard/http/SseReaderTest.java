package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  static List<SseEvent> readAll(BufferedSource source, int limit) throws IOException {
    SseReader reader = new SseReader(source, limit);
    List<SseEvent> events = new ArrayList<>();
    SseEvent e;
    while ((e = reader.next()) != null) events.add(e);
    return events;
  }

  static List<SseEvent> readAll(String text) throws IOException {
    return readAll(new Buffer().writeUtf8(text), 1 << 20);
  }

  @Test
  void followsTheSpec() throws IOException {
    String text = ": comment line\n"
        + "data: first\n\n"
        + "event: delta\r\ndata:no-space\r\ndata:  two spaces\r\n\r\n"
        + "data\n\n"                      // a field with no colon: empty data
        + "id: 7\rdata: cr only\r\r"
        + "retry: 10\nunknown: x\ndata: after unknown\n\n"
        + "\n\n"                          // blank lines with no data dispatch nothing
        + "data: cut off at the end";     // unterminated event is dropped
    assertThat(readAll(text)).containsExactly(
        new SseEvent("message", "first", ""),
        new SseEvent("delta", "no-space\n two spaces", ""),
        new SseEvent("message", "", ""),
        new SseEvent("message", "cr only", "7"),
        new SseEvent("message", "after unknown", "7"));
  }

  @Test
  void eventTypeResetsAfterDispatch() throws IOException {
    assertThat(readAll("event: a\ndata: 1\n\ndata: 2\n\n"))
        .extracting(SseEvent::event).containsExactly("a", "message");
  }

  @Test
  void anyReadSplitGivesIdenticalEvents() throws IOException {
    String text = "data: {\"a\":\"héllo ✓\"}\r\n\r\nevent: x\rdata: y\r\r: c\ndata: [DONE]\n\n";
    List<SseEvent> whole = readAll(text);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int maxChunk = round < 20 ? 1 : 1 + random.nextInt(12);
      assertThat(readAll(Okio.buffer(chunked(bytes, maxChunk, random)), 1 << 20)).isEqualTo(whole);
    }
  }

  @Test
  void aLineOverTheLimitIsAProtocolError() {
    String longLine = "data: " + "x".repeat(5000) + "\n\n";
    assertThatThrownBy(() -> readAll(new Buffer().writeUtf8(longLine), 1024))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("longer than 1024 bytes");
    // also when the line never ends
    assertThatThrownBy(() -> readAll(Okio.buffer(chunked(("data: " + "y".repeat(5000)).getBytes(StandardCharsets.UTF_8), 100, new Random(1))), 1024))
        .isInstanceOf(ProtocolException.class);
  }

  /** A source that returns at most {@code maxChunk} bytes per read, like a slow network. */
  static Source chunked(byte[] bytes, int maxChunk, Random random) {
    return new Source() {
      int pos;

      @Override
      public long read(Buffer sink, long byteCount) {
        if (pos >= bytes.length) return -1;
        int n = Math.min(bytes.length - pos, Math.min((int) byteCount, 1 + random.nextInt(maxChunk)));
        sink.write(bytes, pos, n);
        pos += n;
        return n;
      }

      @Override
      public Timeout timeout() {
        return Timeout.NONE;
      }

      @Override
      public void close() {}
    };
  }
}
