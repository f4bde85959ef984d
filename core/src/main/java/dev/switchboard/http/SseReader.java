package dev.switchboard.http;

import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads server-sent events from a byte stream, following the WHATWG event-stream rules: lines end
 * in CRLF, LF or CR; lines starting with {@code :} are comments; {@code data} lines accumulate;
 * a blank line dispatches; an event cut off by the end of the stream is dropped. Each line is
 * bounded: a longer one fails with {@link ProtocolException} instead of filling memory.
 *
 * <p>Written here rather than using okhttp-sse because providers need pull-style reading (the
 * stream is consumed on the thread that holds the response, with back-pressure), a line-length
 * limit, and to tell a clean end from a cut one themselves.
 */
public final class SseReader {
  private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");

  private final BufferedSource source;
  private final long maxLineBytes;
  private boolean skipLeadingLf;
  private final StringBuilder data = new StringBuilder();
  private String eventType = "";
  private String lastId = "";

  public SseReader(BufferedSource source, long maxLineBytes) {
    this.source = source;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next event, or {@code null} when the stream has ended. */
  public SseEvent next() throws IOException {
    boolean hasData = false;
    while (true) {
      String line = readLine();
      if (line == null) return null;
      if (line.isEmpty()) {
        if (hasData) {
          SseEvent event = new SseEvent(eventType.isEmpty() ? "message" : eventType, data.toString(), lastId);
          data.setLength(0);
          eventType = "";
          return event;
        }
        eventType = "";
        continue;
      }
      if (line.charAt(0) == ':') continue;
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
      switch (field) {
        case "data" -> {
          if (hasData) data.append('\n');
          data.append(value);
          hasData = true;
        }
        case "event" -> eventType = value;
        case "id" -> {
          if (value.indexOf('\0') < 0) lastId = value;
        }
        default -> { } // "retry" and unknown fields are ignored, as the spec says
      }
    }
  }

  private String readLine() throws IOException {
    Buffer buffer = source.getBuffer();
    if (skipLeadingLf) {
      if (!source.request(1)) return null;
      if (buffer.getByte(0) == '\n') buffer.skip(1);
      skipLeadingLf = false;
    }
    long scanned = 0;
    while (true) {
      long end = buffer.indexOfElement(LINE_ENDS, scanned);
      if (end >= 0) {
        if (end > maxLineBytes) throw tooLong();
        String line = buffer.readUtf8(end);
        byte terminator = buffer.readByte();
        if (terminator == '\r') {
          if (buffer.size() > 0) {
            if (buffer.getByte(0) == '\n') buffer.skip(1);
          } else {
            skipLeadingLf = true;
          }
        }
        return line;
      }
      scanned = buffer.size();
      if (scanned > maxLineBytes) throw tooLong();
      if (!source.request(scanned + 1)) {
        // End of stream: an unterminated last line cannot complete an event; drop it.
        buffer.clear();
        return null;
      }
    }
  }

  private ProtocolException tooLong() {
    return new ProtocolException("server-sent event line longer than " + maxLineBytes + " bytes");
  }
}
