package dev.switchboard.http;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.io.IOException;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/** Reads response bodies within the configured size limit. */
public final class Bodies {
  private Bodies() {}

  /**
   * Reads the whole body, failing with PROTOCOL once it passes {@code maxBytes} (without reading
   * the rest). I/O failures are classified like any transport failure.
   */
  public static byte[] read(ResponseBody body, long maxBytes, ErrorContext context) {
    try {
      long declared = body.contentLength();
      if (declared > maxBytes) throw tooLarge(maxBytes, context);
      BufferedSource source = body.source();
      Buffer buffer = new Buffer();
      while (source.read(buffer, 8192) != -1) {
        if (buffer.size() > maxBytes) throw tooLarge(maxBytes, context);
      }
      return buffer.readByteArray();
    } catch (IOException e) {
      throw HttpCalls.transportError(e, false, context);
    }
  }

  private static SwitchboardException tooLarge(long maxBytes, ErrorContext context) {
    return context.error(ErrorKind.PROTOCOL, "response body larger than the limit of " + maxBytes + " bytes").build();
  }
}
