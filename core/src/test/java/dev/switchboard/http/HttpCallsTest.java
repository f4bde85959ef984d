package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ErrorKind;
import dev.switchboard.HttpSettings;
import dev.switchboard.SwitchboardException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class HttpCallsTest {
  private static final ErrorContext CTX = new ErrorContext("test", "target");

  /** Serves one request with {@code raw} and closes the connection (FIN) right after. */
  private static SwitchboardException readCutOffBody(String raw) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[4096]);
          OutputStream out = s.getOutputStream();
          out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException ignored) {
          // the test's assertions say what happened
        }
      });
      t.start();
      OkHttpClient client = HttpClients.create(HttpSettings.DEFAULTS);
      try (Response response = HttpCalls.execute(client,
          new Request.Builder().url("http://127.0.0.1:" + server.getLocalPort() + "/").build(), CTX)
          .get(10, TimeUnit.SECONDS)) {
        assertThat(response.code()).isEqualTo(200);
        try {
          Bodies.read(response.body(), 1 << 20, CTX);
          throw new AssertionError("the cut-off body was read without an error");
        } catch (SwitchboardException e) {
          return e;
        }
      } finally {
        t.join(10_000);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    }
  }

  /** One owner per deadline: the engine cancels the call; OkHttp's whole-call timeout stays off, read and write share one value. */
  @Test
  void noWholeCallTimeoutIsSetAndReadAndWriteTimeoutsAreOneValue() throws Exception {
    OkHttpClient client = HttpClients.create(HttpSettings.DEFAULTS);
    try {
      okhttp3.Call call = client.newCall(new Request.Builder().url("http://127.0.0.1:9/").build());
      java.util.concurrent.CompletableFuture<Response> f = HttpCalls.execute(call, CTX);
      assertThat(call.timeout().timeoutNanos()).isZero();
      assertThat(call.timeout().hasDeadline()).isFalse();
      f.cancel(true);
      assertThat(call.isCanceled()).as("cancelling the future cancels the call").isTrue();
      assertThat(client.callTimeoutMillis()).isZero();
      assertThat(client.readTimeoutMillis()).isEqualTo(client.writeTimeoutMillis()).isEqualTo(120_000);
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  @Test
  void aStatusLineEchoingAKeyIsScrubbedFromTheMessageAndTheCause() throws Exception {
    String key = "sk-proj-echoedStatusLineKey0123456789";
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[4096]);
          s.getOutputStream().write(("HTTP/1.1 " + key + " OK\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException ignored) {
          // the assertions say what happened
        }
      });
      t.start();
      OkHttpClient client = HttpClients.create(HttpSettings.DEFAULTS);
      try {
        assertThatThrownBy(() -> HttpCalls.execute(client,
            new Request.Builder().url("http://127.0.0.1:" + server.getLocalPort() + "/").build(), CTX)
            .get(10, TimeUnit.SECONDS))
            .cause().isInstanceOfSatisfying(SwitchboardException.class, e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
              java.io.StringWriter w = new java.io.StringWriter();
              e.printStackTrace(new java.io.PrintWriter(w));
              assertThat(e.getMessage()).contains("Unexpected status line").doesNotContain(key);
              assertThat(w.toString()).doesNotContain(key).contains("java.net.ProtocolException");
            });
      } finally {
        t.join(10_000);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    }
  }

  @Test
  void fixedLengthBodyCutOffByTheConnectionClosingIsNetworkNotProtocol() throws Exception {
    SwitchboardException e = readCutOffBody("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":");
    assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(e.detail()).contains("connection closed before the response was complete");
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void chunkedBodyCutOffInsideAChunkIsNetworkToo() throws Exception {
    SwitchboardException e = readCutOffBody("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{\"id\":");
    assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
  }

  @Test
  void otherProtocolViolationsStayProtocol() {
    assertThat(HttpCalls.transportError(new ProtocolException("Unexpected status line: SSH-2.0-OpenSSH"), false, CTX).kind())
        .isEqualTo(ErrorKind.PROTOCOL);
    assertThat(HttpCalls.transportError(new ProtocolException("server-sent event line longer than 1024 bytes"), false, CTX).kind())
        .isEqualTo(ErrorKind.PROTOCOL);
  }

  @Test
  void transportErrorsAreStampedWithTheirContext() {
    assertThatThrownBy(() -> {
      throw HttpCalls.transportError(new java.net.ConnectException("Connection refused"), false, CTX);
    }).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
      assertThat(e.provider()).contains("test");
      assertThat(e.target()).contains("target");
    });
  }
}
