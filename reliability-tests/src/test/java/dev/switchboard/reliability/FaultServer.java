package dev.switchboard.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server whose every answer is a script over the raw socket: write exact
 * bytes, flush, stall, close with FIN, or reset with RST (SO_LINGER 0). MockWebServer and
 * WireMock cannot reset a connection at an exact byte of a body or stall a stream after its
 * first event, which is what the fault matrix needs; the healthy targets stay on MockWebServer.
 *
 * <p>Listens on 127.0.0.1 only. Connections are kept alive while scripts end without closing.
 * {@link #close()} ends every connection, including stalled ones, and stops its threads.
 */
final class FaultServer implements AutoCloseable {
  /** What the server does with one request. */
  @FunctionalInterface
  interface Script {
    void serve(Exchange exchange) throws IOException;
  }

  /** One request as received. */
  record Request(String method, String target, Map<String, String> headers, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final AtomicInteger SERVERS = new AtomicInteger();

  private final ServerSocket serverSocket;
  private final ExecutorService threads;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger served = new AtomicInteger();
  private final Script script;
  private volatile boolean recording = true;
  private volatile boolean closed;

  FaultServer(Script script) throws IOException {
    this.script = script;
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int id = SERVERS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-server-" + id + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.execute(this::acceptLoop);
  }

  /** Stops keeping requests (a soak sends too many to hold); {@link #served()} still counts them. */
  FaultServer withoutRecording() {
    recording = false;
    return this;
  }

  int served() {
    return served.get();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(s);
      try {
        threads.execute(() -> serve(s));
      } catch (RuntimeException rejected) {
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        Request request = readRequest(in);
        if (request == null) return;
        served.incrementAndGet();
        if (recording) requests.add(request);
        Exchange exchange = new Exchange(request, socket, in, out);
        script.serve(exchange);
        out.flush();
        if (exchange.ended) return;
      }
    } catch (IOException ignored) {
      // the client went away or the server is closing
    } finally {
      sockets.remove(socket);
    }
  }

  private static Request readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null || requestLine.isEmpty()) return null;
    String[] parts = requestLine.split(" ");
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, body);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') break;
      if (b != '\r') line.write(b);
    }
    if (b == -1 && line.size() == 0) return null;
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    for (Socket s : sockets) closeQuietly(s);
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("fault server threads did not stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** The server's side of one request: raw writes and socket-level faults. */
  static final class Exchange {
    final Request request;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    boolean ended;

    Exchange(Request request, Socket socket, InputStream in, OutputStream out) {
      this.request = request;
      this.socket = socket;
      this.in = in;
      this.out = out;
    }

    /** Writes a status line and headers; {@code contentLength} -1 sends none (the body ends with the connection). */
    Exchange head(int status, String contentType, long contentLength, String... extraHeaders) throws IOException {
      StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
      if (contentType != null) sb.append("Content-Type: ").append(contentType).append("\r\n");
      if (contentLength >= 0) sb.append("Content-Length: ").append(contentLength).append("\r\n");
      else sb.append("Connection: close\r\n");
      for (int i = 0; i + 1 < extraHeaders.length; i += 2) sb.append(extraHeaders[i]).append(": ").append(extraHeaders[i + 1]).append("\r\n");
      sb.append("\r\n");
      out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      return this;
    }

    /** A complete response with a body of known length. */
    Exchange respond(int status, String contentType, byte[] body, String... extraHeaders) throws IOException {
      head(status, contentType, body.length, extraHeaders);
      out.write(body);
      out.flush();
      return this;
    }

    Exchange write(byte[] bytes) throws IOException {
      out.write(bytes);
      return this;
    }

    Exchange flush() throws IOException {
      out.flush();
      return this;
    }

    /** Sends a TCP RST: linger 0, then close. The client sees "connection reset". */
    void reset() throws IOException {
      out.flush();
      ended = true;
      socket.setSoLinger(true, 0);
      socket.close();
    }

    /** Closes the connection cleanly (FIN) where it stands. */
    void close() throws IOException {
      out.flush();
      ended = true;
      socket.close();
    }

    /** Holds the connection open, sending nothing, until the client or the server closes it. */
    void stall() throws IOException {
      out.flush();
      ended = true;
      try {
        while (in.read() != -1) {
          // discard: a client never sends more on a connection it is waiting on
        }
      } catch (SocketException closing) {
        // the server is closing
      }
    }

    private static String reason(int status) {
      return switch (status) {
        case 200 -> "OK";
        case 429 -> "Too Many Requests";
        case 500 -> "Internal Server Error";
        case 502 -> "Bad Gateway";
        case 503 -> "Service Unavailable";
        case 504 -> "Gateway Timeout";
        default -> "Status";
      };
    }
  }
}
