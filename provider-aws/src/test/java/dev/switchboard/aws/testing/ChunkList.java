package dev.switchboard.aws.testing;

import java.util.Iterator;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/** A source that returns exactly the given chunks, one per read, as they were received. */
public final class ChunkList implements Source {
  private final Iterator<byte[]> chunks;

  private ChunkList(List<byte[]> chunks) {
    this.chunks = chunks.iterator();
  }

  public static BufferedSource of(List<byte[]> chunks) {
    return Okio.buffer(new ChunkList(chunks));
  }

  @Override
  public long read(Buffer sink, long byteCount) {
    if (!chunks.hasNext()) return -1;
    byte[] c = chunks.next();
    sink.write(c);
    return c.length;
  }

  @Override
  public Timeout timeout() {
    return Timeout.NONE;
  }

  @Override
  public void close() {}
}
