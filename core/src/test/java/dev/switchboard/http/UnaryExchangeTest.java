package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.ErrorKind;
import dev.switchboard.HttpSettings;
import dev.switchboard.SwitchboardException;
import dev.switchboard.testing.VirtualTime;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared non-streamed exchange: what reaches the server, and which typed error each failure becomes. */
class UnaryExchangeTest {
  private static final ErrorContext CTX = new ErrorContext("test", "dep");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final VirtualTime time = new VirtualTime();
  private MockWebServer server;
  private OkHttpClient client;
  private UnaryExchange<Request> exchange;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    client = HttpClients.create(HttpSettings.DEFAULTS);
    exchange = new UnaryExchange<>(client, time, HttpSettings.DEFAULTS.withMaxResponseBytes(1024), r -> r);
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Request request() {
    return new Request.Builder().url(server.url("/x")).build();
  }

  private CompletableFuture<String> send(CompletableFuture<Request> signing) {
    return exchange.send(signing, TIMEOUT, CTX,
        (response, body, signed) -> CTX.error(ErrorKind.RATE_LIMITED, "status " + response.code() + ": "
            + new String(body, StandardCharsets.UTF_8)).build(),
        (response, body, signed) -> new String(body.readAll(), StandardCharsets.UTF_8));
  }

  private static SwitchboardException failure(CompletableFuture<?> f) {
    Throwable t = catchThrowable(() -> f.get(20, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(SwitchboardException.class);
    return (SwitchboardException) t.getCause();
  }

  @Test
  void aSuccessIsReadByTheReader() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    assertThat(send(CompletableFuture.completedFuture(request())).get(20, TimeUnit.SECONDS)).isEqualTo("hello");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aNon2xxGoesToTheClassifierWithItsBody() {
    server.enqueue(new MockResponse.Builder().code(429).body("slow down").build());
    SwitchboardException e = failure(send(CompletableFuture.completedFuture(request())));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.detail()).contains("status 429: slow down");
  }

  @Test
  void aBodyPastTheSizeLimitIsAProtocolError() {
    server.enqueue(new MockResponse.Builder().body("x".repeat(1025)).build());
    SwitchboardException e = failure(send(CompletableFuture.completedFuture(request())));
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.detail()).contains("larger than the limit of 1024 bytes");
  }

  @Test
  void aFailedSigningSendsNothingAndKeepsItsKind() {
    SwitchboardException e = failure(send(CompletableFuture.failedFuture(SwitchboardException.of(ErrorKind.AUTHENTICATION, "no key"))));
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.provider()).contains("test");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void cancellingWhileSigningSendsNothing() {
    CompletableFuture<Request> signing = new CompletableFuture<>();
    CompletableFuture<String> result = send(signing);
    result.cancel(true);
    signing.complete(request());
    assertThat(client.dispatcher().queuedCallsCount() + client.dispatcher().runningCallsCount()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theDeadlinePassingWhileTheBodyIsReadEndsWithTimeout() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    UnaryExchange<Request> late = new UnaryExchange<>(client, time, HttpSettings.DEFAULTS, r -> r);
    CompletableFuture<String> result = late.send(CompletableFuture.completedFuture(request()), TIMEOUT, CTX,
        (response, body, signed) -> CTX.error(ErrorKind.SERVER_ERROR, "unexpected").build(),
        (response, body, signed) -> {
          time.advance(TIMEOUT); // the deadline passes before the reader's first read
          return new String(body.readAll(), StandardCharsets.UTF_8);
        });
    SwitchboardException e = failure(result);
    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.detail()).contains("deadline passed while the response body was read");
  }

  @Test
  void aReaderThatBreaksIsAProtocolError() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    CompletableFuture<String> result = exchange.send(CompletableFuture.completedFuture(request()), TIMEOUT, CTX,
        (response, body, signed) -> CTX.error(ErrorKind.SERVER_ERROR, "unexpected").build(),
        (response, body, signed) -> {
          throw new IllegalStateException("codec bug");
        });
    SwitchboardException e = failure(result);
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.provider()).contains("test");
  }
}
