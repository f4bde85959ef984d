package dev.switchboard.aws.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP server on loopback that reads each request, then sends either nothing or the
 * status line, headers and the first part of a longer body, and holds the connection open
 * without sending more. It counts a connection as closed by the client when its read of the
 * (idle) request side ends: end of stream or a reset. So a test sees, on the server, when the
 * client gave up, without any sleeping on either side.
 */
public final class HeldResponseServer implements AutoCloseable {
  /** How far the server gets before it holds. */
  public enum Stage {
    /** Holds after reading the request, before any byte of the response. */
    BEFORE_HEADERS,
    /** Holds after the headers and {@code bodyPrefix} of a body {@code declaredLength} long. */
    DURING_BODY
  }

  private final ServerSocket server;
  private final Stage stage;
  private final byte[] bodyPrefix;
  private final long declaredLength;
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch requestRead = new CountDownLatch(1);
  private final CountDownLatch closedByClient = new CountDownLatch(1);
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public HeldResponseServer(Stage stage, String bodyPrefix, long declaredLength) throws IOException {
    this.stage = stage;
    this.bodyPrefix = bodyPrefix.getBytes(StandardCharsets.UTF_8);
    this.declaredLength = declaredLength;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "held-response-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Requests read so far. */
  public int requestCount() {
    return requests.get();
  }

  /** Waits (bounded) until a whole request has been read. */
  public boolean awaitRequest(Duration max) throws InterruptedException {
    return requestRead.await(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits (bounded) until the client closes a held connection. */
  public boolean awaitClosedByClient(Duration max) throws InterruptedException {
    return closedByClient.await(max.toMillis(), TimeUnit.MILLISECONDS);
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
      Thread t = new Thread(() -> serve(s), "held-response-connection");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      long contentLength = readHead(in);
      if (contentLength < 0) return;
      in.readNBytes((int) contentLength);
      requests.incrementAndGet();
      requestRead.countDown();
      if (stage == Stage.DURING_BODY) {
        OutputStream out = socket.getOutputStream();
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-amzn-RequestId: held-1\r\nContent-Length: "
            + declaredLength + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bodyPrefix);
        out.flush();
      }
      // The client sends nothing more on this connection: the read ends only when it closes it.
      while (in.read() != -1) {
        // discard
      }
      closedByClient.countDown();
    } catch (IOException e) {
      if (!server.isClosed()) closedByClient.countDown(); // a reset is the client closing too
    }
  }

  /** Reads a request head; its Content-Length, or -1 at end of stream. */
  private static long readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int c;
    while (matched < 4 && (c = in.read()) != -1) {
      head.write(c);
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    if (matched < 4) return -1;
    long length = 0;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
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
