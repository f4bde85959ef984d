package dev.switchboard.http;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A response body read as a stream that a parser pulls from, bounded three ways: at most
 * {@code maxBytes} in all (PROTOCOL past that, as {@code Bodies.read}), and before every read a
 * check whether to stop at once (the caller cancelled, the deadline passed). A parser reads in
 * chunks of a few KB, so a parse on the caller's thread stops within one chunk of the deadline
 * however the body is shaped: one huge string or many small tokens. Every failure it raises is a
 * {@link Failure} carrying the typed error, so that a parser reading through it can tell them
 * from its own syntax errors. Not thread-safe: one reader.
 */
public final class GuardedBody extends InputStream {
  /** Why a guarded read failed: the limit, the stop check, or the transport (already classified). */
  public static final class Failure extends TypedIOException {
    private static final long serialVersionUID = 1L;

    public Failure(SwitchboardException error) {
      super(error);
    }
  }

  private final InputStream in;
  private final long maxBytes;
  private final Supplier<SwitchboardException> stop;
  private final ErrorContext errors;
  /** The length the response declares, or -1: sizes {@link #readAll}'s buffer. */
  private final long declaredLength;
  private long read;

  /**
   * {@code stop} returns the error to end the read with, or null to go on; it is asked before
   * each read of {@code in}, so it should be cheap (a flag and a clock read).
   */
  public GuardedBody(InputStream in, long maxBytes, Supplier<SwitchboardException> stop, ErrorContext errors) {
    this(in, -1, maxBytes, stop, errors);
  }

  /**
   * As above, for a body that declares {@code declaredLength} bytes (-1: unknown), so that
   * {@link #readAll} reads it into one array of that size instead of growing and copying one. A
   * wrong declaration changes nothing but the copying: the bytes read are what counts.
   */
  public GuardedBody(InputStream in, long declaredLength, long maxBytes, Supplier<SwitchboardException> stop,
      ErrorContext errors) {
    this.declaredLength = declaredLength;
    this.in = Objects.requireNonNull(in, "in == null");
    this.maxBytes = maxBytes;
    this.stop = Objects.requireNonNull(stop, "stop == null");
    this.errors = Objects.requireNonNull(errors, "errors == null");
  }

  /** Fails at once if a body declares more than {@code maxBytes}: nothing of it is read. */
  public static void checkDeclaredLength(long contentLength, long maxBytes, ErrorContext errors) throws Failure {
    if (contentLength > maxBytes) throw new Failure(tooLarge(maxBytes, errors));
  }

  /** Bytes read so far. */
  public long bytesRead() {
    return read;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    SwitchboardException stopped = stop.get();
    if (stopped != null) throw new Failure(stopped);
    // One byte more than the limit allows is enough to know the body is too large.
    long room = maxBytes - read;
    int ask = room >= len ? len : (int) room + 1;
    int n;
    try {
      n = in.read(b, off, ask);
    } catch (IOException e) {
      throw new Failure(HttpCalls.transportError(e, false, errors));
    }
    if (n > 0) {
      read += n;
      if (read > maxBytes) throw new Failure(tooLarge(maxBytes, errors));
    }
    return n;
  }

  /** Reads and drops the rest of the body, within the same bounds; the connection can then be reused. */
  public void drain() throws Failure {
    try {
      // Almost always the parser has read to the end: say so without an 8 KB buffer per call.
      if (read() == -1) return;
      byte[] buffer = new byte[8192];
      while (read(buffer, 0, buffer.length) != -1) {
        // discard
      }
    } catch (Failure f) {
      throw f;
    } catch (IOException e) {
      throw new Failure(HttpCalls.transportError(e, false, errors));
    }
  }

  /** The whole (rest of the) body, within the same bounds. */
  public byte[] readAll() throws Failure {
    try {
      if (read == 0 && declaredLength >= 0 && declaredLength <= maxBytes) {
        // One array of the declared size; anything past it (a wrong declaration) is appended.
        byte[] body = new byte[(int) declaredLength];
        int n = 0;
        int r;
        while (n < body.length && (r = read(body, n, body.length - n)) > 0) n += r;
        if (n < body.length) return java.util.Arrays.copyOf(body, n);
        int next = read();
        if (next == -1) return body;
        byte[] rest = readAllBytes();
        byte[] all = java.util.Arrays.copyOf(body, body.length + 1 + rest.length);
        all[body.length] = (byte) next;
        System.arraycopy(rest, 0, all, body.length + 1, rest.length);
        return all;
      }
      return readAllBytes();
    } catch (Failure f) {
      throw f;
    } catch (IOException e) {
      throw new Failure(HttpCalls.transportError(e, false, errors));
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static SwitchboardException tooLarge(long maxBytes, ErrorContext errors) {
    return errors.error(ErrorKind.PROTOCOL, "response body larger than the limit of " + maxBytes + " bytes").build();
  }
}
