package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.HttpSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Authenticator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared OkHttp client never sends a request again by itself: whatever the server answers,
 * it receives exactly one request per call, and the caller sees that answer as it was sent.
 */
class HttpClientsTest {
  private static final ErrorContext CTX = new ErrorContext("test", "target");

  private MockWebServer server;
  private OkHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
    // A caller's own client that asks for every follow-up OkHttp can do: configure must win.
    OkHttpClient callers = new OkHttpClient.Builder()
        .retryOnConnectionFailure(true)
        .followRedirects(true)
        .authenticator((route, response) -> response.request().newBuilder().header("Authorization", "Bearer again").build())
        .build();
    client = HttpClients.configure(callers.newBuilder(), HttpSettings.DEFAULTS).build();
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Response post() throws Exception {
    Request request = new Request.Builder().url(server.url("/v1/chat"))
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
    return HttpCalls.execute(client, request, CTX).get(10, TimeUnit.SECONDS);
  }

  /**
   * OkHttp replays a 503 whose Retry-After is zero (in any number of digits) with no setting to
   * stop it, and throws NumberFormatException on one above 2^31-1; a 408 and a 401 are replayed
   * when the client allows it, and redirects followed.
   */
  @ParameterizedTest
  @ValueSource(strings = {"503|Retry-After: 0", "503|Retry-After: 000", "503|Retry-After: 99999999999",
      "503|Retry-After: 2147483648", "408|", "408|Retry-After: 0", "401|WWW-Authenticate: Bearer",
      "307|Location: /elsewhere", "308|Location: /elsewhere", "302|Location: /elsewhere"})
  void theServerGetsOneRequestAndTheCallerSeesItsAnswer(String spec) throws Exception {
    int status = Integer.parseInt(spec.substring(0, 3));
    String header = spec.substring(4);
    for (int i = 0; i < 3; i++) {
      MockResponse.Builder r = new MockResponse.Builder().code(status).body("{\"error\":\"no\"}");
      if (!header.isEmpty()) r.addHeader(header);
      server.enqueue(r.build());
    }
    server.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());

    try (Response response = post()) {
      assertThat(response.code()).isEqualTo(status);
      if (!header.isEmpty()) {
        String name = header.substring(0, header.indexOf(':'));
        assertThat(response.header(name)).as("the caller sees the header as sent").isEqualTo(header.substring(name.length() + 2));
      }
      assertThat(response.headers().names()).doesNotContain(NoFollowUps.HIDDEN);
    }
    assertThat(server.getRequestCount()).as("requests the server received").isEqualTo(1);
  }

  /** On a dispatcher thread the NumberFormatException used to escape uncaught after failing the call. */
  @ParameterizedTest
  @ValueSource(strings = {"99999999999", "0"})
  void anAsyncCallEndsWithTheResponseAndNothingEscapesOnADispatcherThread(String retryAfter) throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", retryAfter).build());
      server.enqueue(new MockResponse.Builder().code(200).build());
      // Not deferred to this thread (no CallerRuns armed): the call runs on OkHttp's dispatcher.
      try (Response response = post()) {
        assertThat(response.code()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo(retryAfter);
      }
      client.dispatcher().executorService().shutdown();
      assertThat(client.dispatcher().executorService().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(uncaught).as("exceptions thrown out of dispatcher threads").isEmpty();
      assertThat(server.getRequestCount()).isEqualTo(1);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  @org.junit.jupiter.api.Test
  void theCallersAuthenticatorIsReplacedAndRedirectsAreOff() {
    assertThat(client.authenticator()).isSameAs(Authenticator.NONE);
    assertThat(client.followRedirects()).isFalse();
    assertThat(client.followSslRedirects()).isFalse();
    assertThat(client.retryOnConnectionFailure()).isFalse();
  }
}
