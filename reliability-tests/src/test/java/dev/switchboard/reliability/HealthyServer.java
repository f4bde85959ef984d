package dev.switchboard.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A MockWebServer on loopback that answers every chat and stream call of one provider kind
 * correctly with {@link #text()}: the healthy secondary target of the fault matrix.
 */
final class HealthyServer implements AutoCloseable {
  private final Kind kind;
  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger calls = new AtomicInteger();

  HealthyServer(Kind kind) throws IOException {
    this.kind = kind;
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        calls.incrementAndGet();
        return answer(request);
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** The text every answer carries. */
  String text() {
    return text(kind);
  }

  /** The text every answer of a healthy server of {@code kind} carries. */
  static String text(Kind kind) {
    return "hello from " + kind.label;
  }

  String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  int calls() {
    return calls.get();
  }

  /** The next request received, as it came over the wire. */
  RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(10, java.util.concurrent.TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no request reached the server");
    return r;
  }

  private MockResponse answer(RecordedRequest request) {
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    boolean stream = kind == Kind.BEDROCK ? request.getTarget().contains("/converse-stream") : body.contains("\"stream\":true");
    if (stream) {
      return new MockResponse.Builder().code(200).setHeader("Content-Type", kind.streamContentType())
          .body(new Buffer().write(kind.stream("hello", " from ", kind.label))).build();
    }
    return new MockResponse.Builder().code(200).setHeader("Content-Type", kind.chatContentType())
        .body(new Buffer().write(kind.chat(text()))).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
