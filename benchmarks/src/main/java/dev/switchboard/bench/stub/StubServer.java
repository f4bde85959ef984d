package dev.switchboard.bench.stub;

import dev.switchboard.bench.Payloads;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal, fast HTTP/1.1 server on 127.0.0.1 serving the canned {@link Payloads}: keep-alive,
 * one thread per connection, every response pre-encoded at start so serving one is a single
 * write. Not WireMock: the benchmarks must measure the client, not the stub's request matching.
 *
 * <p>Routes ({@code POST}; a body containing {@code "stream":true} asks for a stream):
 * <ul>
 *   <li>{@code /v1/chat/completions} — OpenAI JSON or SSE (200 chunks and {@code [DONE]});
 *   <li>{@code /openai/deployments/{d}/chat/completions?api-version=…} — Azure JSON or SSE;
 *   <li>{@code /model/{id}/converse} and {@code /model/{id}/converse-stream} — Bedrock JSON or
 *       event stream (200 frames).
 * </ul>
 * Streams are sent with chunked transfer encoding, one HTTP chunk per event. Unpaced (the
 * default) they go out in one write, so a benchmark measures decoding rather than waiting; with
 * {@code paceMillis > 0} each event is written and flushed separately after that pause (the load
 * program uses this to hold many streams open at once).
 *
 * <p>Run as a separate process ({@link StubProcess}) it prints {@code PORT n} and exits when its
 * standard input closes, so the CPU time and allocation that benchmarks measure are the client's
 * alone.
 */
public final class StubServer implements AutoCloseable {
  private final ServerSocket server;
  private final long paceMillis;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final Responses responses = new Responses();
  private volatile boolean closed;

  private StubServer(ServerSocket server, long paceMillis) {
    this.server = server;
    this.paceMillis = paceMillis;
  }

  /** Starts a stub on an ephemeral loopback port. */
  public static StubServer start(long paceMillis) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    StubServer stub = new StubServer(s, paceMillis);
    Thread acceptor = new Thread(stub::acceptLoop, "stub-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return stub;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Requests served so far. */
  public long requests() {
    return requests.get();
  }

  /** Connections accepted so far: with keep-alive working, far fewer than requests. */
  public long connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        open.add(s);
        connections.incrementAndGet();
        Thread t = new Thread(() -> serve(s), "stub-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) System.err.println("stub: accept failed: " + e);
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      OutputStream out = socket.getOutputStream();
      byte[] body = new byte[64 * 1024];
      while (!closed) {
        String head = readHead(in);
        if (head == null) return;
        int length = contentLength(head);
        if (length > body.length) body = new byte[length];
        readFully(in, body, length);
        requests.incrementAndGet();
        Responses.Canned r = responses.route(head, body, length);
        if (paceMillis > 0 && r.events() != null) {
          writePaced(out, r);
        } else {
          out.write(r.whole());
          out.flush();
        }
      }
    } catch (SocketException e) {
      // the client closed the connection (or cancelled a stream): normal
    } catch (IOException | InterruptedException e) {
      if (!closed) System.err.println("stub: connection failed: " + e);
    } finally {
      open.remove(socket);
    }
  }

  private void writePaced(OutputStream out, Responses.Canned r) throws IOException, InterruptedException {
    out.write(r.head());
    out.flush();
    for (byte[] event : r.events()) {
      Thread.sleep(paceMillis);
      out.write(event);
      out.flush();
    }
    out.write(Responses.LAST_CHUNK);
    out.flush();
  }

  /** The request line and headers, or null at a clean end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(512);
    int state = 0;
    int c;
    while ((c = in.read()) != -1) {
      b.write(c);
      // Looks for CR LF CR LF.
      state = switch (state) {
        case 0, 2 -> c == '\r' ? state + 1 : 0;
        case 1 -> c == '\n' ? 2 : c == '\r' ? 1 : 0;
        case 3 -> c == '\n' ? 4 : c == '\r' ? 1 : 0;
        default -> 0;
      };
      if (state == 4) return b.toString(StandardCharsets.ISO_8859_1);
      if (b.size() > 64 * 1024) throw new IOException("request head too long");
    }
    if (b.size() == 0) return null;
    throw new IOException("connection closed inside a request head");
  }

  private static int contentLength(String head) {
    int from = 0;
    while (true) {
      int eol = head.indexOf("\r\n", from);
      if (eol < 0) return 0;
      String line = head.substring(from, eol);
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        return Integer.parseInt(line.substring(colon + 1).trim());
      }
      from = eol + 2;
    }
  }

  private static void readFully(InputStream in, byte[] into, int length) throws IOException {
    int read = 0;
    while (read < length) {
      int n = in.read(into, read, length - read);
      if (n < 0) throw new IOException("connection closed inside a request body");
      read += n;
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    List<Socket> sockets = new ArrayList<>(open);
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /**
   * Runs a stub until standard input closes: {@code StubServer [paceMillis]}. Prints
   * {@code PORT n} once listening.
   */
  public static void main(String[] args) throws Exception {
    long pace = args.length > 0 ? Long.parseLong(args[0]) : 0;
    StubServer stub = start(pace);
    System.out.println("PORT " + stub.port());
    System.out.flush();
    // The parent holds our stdin: when it exits (or closes it), so do we.
    while (System.in.read() != -1) {
      // nothing to read; wait for EOF
    }
    System.err.printf("stub: %d requests on %d connections%n", stub.requests(), stub.connections());
    stub.close();
    System.exit(0);
  }
}
