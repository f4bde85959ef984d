package dev.switchboard.aws.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP server on loopback that answers every request with a 200 whose body is
 * {@code prefix}, then {@code fill} bytes of {@code 'a'}, then {@code suffix}: a body of many MB
 * that the server generates as it writes, never holding it. With a declared Content-Length, or
 * chunked. Counts the requests it read; a client that stops reading and closes the connection
 * just ends the write.
 */
public final class GeneratedBodyServer implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private final ServerSocket server;
  private final byte[] prefix;
  private final long fill;
  private final byte[] suffix;
  private final boolean chunked;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public GeneratedBodyServer(String prefix, long fill, String suffix, boolean chunked) throws IOException {
    this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    this.fill = fill;
    this.suffix = suffix.getBytes(StandardCharsets.UTF_8);
    this.chunked = chunked;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "generated-body-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public long bodyLength() {
    return prefix.length + fill + suffix.length;
  }

  public int requestCount() {
    return requests.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(s);
      Thread t = new Thread(() -> serve(s), "generated-body-connection");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      while (true) {
        long contentLength = readHead(in);
        if (contentLength < 0) return;
        in.readNBytes((int) contentLength);
        requests.incrementAndGet();
        OutputStream out = socket.getOutputStream();
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-amzn-RequestId: generated-1\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bodyLength() + "\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        write(out, prefix, prefix.length);
        byte[] a = new byte[CHUNK];
        Arrays.fill(a, (byte) 'a');
        for (long left = fill; left > 0; left -= CHUNK) write(out, a, (int) Math.min(CHUNK, left));
        write(out, suffix, suffix.length);
        if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // the client stopped reading and closed the connection
    }
  }

  private void write(OutputStream out, byte[] bytes, int length) throws IOException {
    if (length == 0) return;
    if (chunked) out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes, 0, length);
    if (chunked) out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads a request head; its Content-Length, or -1 at end of stream. */
  private static long readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
    }
    if (c == -1) return -1;
    long length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(line.substring(15).trim());
    }
    return length;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) s.close();
  }
}
