package dev.switchboard.aws;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
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

  private static final int PRELUDE = 12;

  private final BufferedSource source;
  private final int maxFrameBytes;
  private final byte[] prelude = new byte[PRELUDE];
  private final CRC32 crc = new CRC32();

  EventStreamReader(BufferedSource source, int maxFrameBytes) {
    this.source = source;
    this.maxFrameBytes = Math.max(MIN_FRAME, maxFrameBytes);
  }

  /** The next frame, or {@code null} when the stream ended cleanly between frames. */
  Message next() throws IOException {
    if (!source.request(1)) return null;
    if (!source.request(PRELUDE)) throw new EOFException("event-stream ended inside a frame's prelude");
    Buffer buffer = source.getBuffer();
    // Check the prelude on its own first: a corrupted length must not make us wait for, or buffer, bytes that never come.
    for (int i = 0; i < PRELUDE; i++) prelude[i] = buffer.getByte(i);
    crc.reset();
    crc.update(prelude, 0, 8);
    if ((int) crc.getValue() != readInt(8)) throw new ProtocolException("event-stream prelude checksum mismatch");
    long total = readInt(0) & 0xffffffffL;
    long headers = readInt(4) & 0xffffffffL;
    if (total < MIN_FRAME) throw new ProtocolException("event-stream frame length " + total + " is below the minimum of " + MIN_FRAME);
    if (total > maxFrameBytes) {
      throw new ProtocolException("event-stream frame of " + total + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
    }
    if (headers > total - MIN_FRAME) throw new ProtocolException("event-stream headers length " + headers + " exceeds the frame");
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

  private int readInt(int at) {
    return ((prelude[at] & 0xff) << 24) | ((prelude[at + 1] & 0xff) << 16) | ((prelude[at + 2] & 0xff) << 8) | (prelude[at + 3] & 0xff);
  }
}
