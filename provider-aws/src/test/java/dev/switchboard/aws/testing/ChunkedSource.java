package dev.switchboard.aws.testing;

import java.util.Random;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/** A source that hands out its bytes in reads of random size (1..maxChunk), like a network trickling a body. */
public final class ChunkedSource implements Source {
  private final byte[] data;
  private final Random random;
  private final int maxChunk;
  private int pos;

  private ChunkedSource(byte[] data, long seed, int maxChunk) {
    this.data = data;
    this.random = new Random(seed);
    this.maxChunk = maxChunk;
  }

  public static BufferedSource of(byte[] data, long seed, int maxChunk) {
    return Okio.buffer(new ChunkedSource(data, seed, maxChunk));
  }

  @Override
  public long read(Buffer sink, long byteCount) {
    if (pos >= data.length) return -1;
    int n = (int) Math.min(byteCount, Math.min(data.length - pos, 1 + random.nextInt(maxChunk)));
    sink.write(data, pos, n);
    pos += n;
    return n;
  }

  @Override
  public Timeout timeout() {
    return Timeout.NONE;
  }

  @Override
  public void close() {}
}
