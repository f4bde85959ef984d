package dev.switchboard.aws;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import okio.Buffer;
import okio.BufferedSource;
import software.amazon.awssdk.eventstream.Message;

/**
 * Reads {@code application/vnd.amazon.eventstream} frames one at a time from a byte stream, on
 * the thread that reads the response. A frame may arrive split across any number of reads: the
 * reader waits until the whole frame (its length is in the first four bytes) is buffered, then
 * hands exactly those bytes to the SDK's {@link Message#decode}, which checks both CRCs and
 * decodes the headers. The declared length is checked against a limit before anything is
 * buffered, so a hostile length cannot make it allocate without bound.
 *
 * <p>Failures are {@link ProtocolException}s (bad length, bad CRC, bad headers) or
 * {@link EOFException} (the stream ended inside a frame); other {@link IOException}s come from the
 * transport.
 */
final class EventStreamReader {
  /** Prelude (total length, headers length, prelude CRC) plus the message CRC. */
  static final int MIN_FRAME = 16;

  private final BufferedSource source;
  private final int maxFrameBytes;

  EventStreamReader(BufferedSource source, int maxFrameBytes) {
    this.source = source;
    this.maxFrameBytes = Math.max(MIN_FRAME, maxFrameBytes);
  }

  /** The next frame, or {@code null} when the stream ended cleanly between frames. */
  Message next() throws IOException {
    if (!source.request(1)) return null;
    if (!source.request(4)) throw new EOFException("event-stream ended inside a frame's prelude");
    Buffer buffer = source.getBuffer();
    long total = ((buffer.getByte(0) & 0xffL) << 24) | ((buffer.getByte(1) & 0xffL) << 16)
        | ((buffer.getByte(2) & 0xffL) << 8) | (buffer.getByte(3) & 0xffL);
    if (total < MIN_FRAME) throw new ProtocolException("event-stream frame length " + total + " is below the minimum of " + MIN_FRAME);
    if (total > maxFrameBytes) {
      throw new ProtocolException("event-stream frame of " + total + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
    }
    if (!source.request(total)) {
      throw new EOFException("event-stream ended inside a frame (" + buffer.size() + " of " + total + " bytes)");
    }
    byte[] frame = source.readByteArray(total);
    try {
      return Message.decode(ByteBuffer.wrap(frame));
    } catch (RuntimeException e) {
      // The SDK reports CRC mismatches as IllegalArgumentException, bad headers as several runtime exceptions.
      throw new ProtocolException("malformed event-stream frame: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }
}
