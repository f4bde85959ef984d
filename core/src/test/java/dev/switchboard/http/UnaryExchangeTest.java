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
import java.util.List;
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

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    client = HttpClients.create(HttpSettings.DEFAULTS);
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

  private SignedRequest signedRequest() {
    return new SignedRequest(request(), List.of());
  }

  /** An exchange whose signer hands over {@code signing} for every attempt. */
  private UnaryExchange exchange(HttpSettings http, CompletableFuture<SignedRequest> signing) {
    return new UnaryExchange(client, time, http, (request, body) -> signing);
  }

  private CompletableFuture<String> send(CompletableFuture<SignedRequest> signing) {
    return exchange(HttpSettings.DEFAULTS.withMaxResponseBytes(1024), signing).send(request(), new byte[0], TIMEOUT, CTX,
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
    assertThat(send(CompletableFuture.completedFuture(signedRequest())).get(20, TimeUnit.SECONDS)).isEqualTo("hello");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aNon2xxGoesToTheClassifierWithItsBody() {
    server.enqueue(new MockResponse.Builder().code(429).body("slow down").build());
    SwitchboardException e = failure(send(CompletableFuture.completedFuture(signedRequest())));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.detail()).contains("status 429: slow down");
  }

  @Test
  void aBodyPastTheSizeLimitIsAProtocolError() {
    server.enqueue(new MockResponse.Builder().body("x".repeat(1025)).build());
    SwitchboardException e = failure(send(CompletableFuture.completedFuture(signedRequest())));
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
    CompletableFuture<SignedRequest> signing = new CompletableFuture<>();
    CompletableFuture<String> result = send(signing);
    result.cancel(true);
    signing.complete(signedRequest());
    assertThat(client.dispatcher().queuedCallsCount() + client.dispatcher().runningCallsCount()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theDeadlinePassingWhileTheBodyIsReadEndsWithTimeout() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    UnaryExchange late = exchange(HttpSettings.DEFAULTS, CompletableFuture.completedFuture(signedRequest()));
    CompletableFuture<String> result = late.send(request(), new byte[0], TIMEOUT, CTX,
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
    CompletableFuture<String> result = exchange(HttpSettings.DEFAULTS.withMaxResponseBytes(1024),
        CompletableFuture.completedFuture(signedRequest())).send(request(), new byte[0], TIMEOUT, CTX,
        (response, body, signed) -> CTX.error(ErrorKind.SERVER_ERROR, "unexpected").build(),
        (response, body, signed) -> {
          throw new IllegalStateException("codec bug");
        });
    SwitchboardException e = failure(result);
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.provider()).contains("test");
  }

  @Test
  void aSignerThatThrowsSendsNothingAndKeepsItsKind() {
    UnaryExchange throwing = new UnaryExchange(client, time, HttpSettings.DEFAULTS, (request, body) -> {
      throw SwitchboardException.of(ErrorKind.AUTHENTICATION, "no credentials");
    });
    SwitchboardException e = failure(throwing.send(request(), new byte[0], TIMEOUT, CTX,
        (response, body, signed) -> CTX.error(ErrorKind.SERVER_ERROR, "unexpected").build(),
        (response, body, signed) -> "unexpected"));
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void eachSendIsSignedAnewWithTheBodyHandedIn() throws Exception {
    server.enqueue(new MockResponse.Builder().body("one").build());
    server.enqueue(new MockResponse.Builder().body("two").build());
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    UnaryExchange signing = new UnaryExchange(client, time, HttpSettings.DEFAULTS, (request, body) -> {
      String b = new String(body, StandardCharsets.UTF_8);
      seen.add(b);
      return CompletableFuture.completedFuture(new SignedRequest(request.newBuilder().header("X-Signed", b).build(),
          List.of()));
    });
    for (String b : List.of("a", "b")) {
      signing.send(request(), b.getBytes(StandardCharsets.UTF_8), TIMEOUT, CTX,
          (response, body, signed) -> CTX.error(ErrorKind.SERVER_ERROR, "unexpected").build(),
          (response, body, signed) -> new String(body.readAll(), StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
    }
    assertThat(seen).containsExactly("a", "b");
    assertThat(server.takeRequest().getHeaders().get("X-Signed")).isEqualTo("a");
    assertThat(server.takeRequest().getHeaders().get("X-Signed")).isEqualTo("b");
  }

  @Test
  void aSignedRequestNamesNoHeaderNorSecret() {
    SignedRequest s = new SignedRequest(new Request.Builder().url(server.url("/x"))
        .header("api-key", "sk-visible").build(), List.of(dev.switchboard.Secret.of("sk-visible")));
    assertThat(s.toString()).doesNotContain("sk-visible").contains("GET").contains("/x");
  }
}
