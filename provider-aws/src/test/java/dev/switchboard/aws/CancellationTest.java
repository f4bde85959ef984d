package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Deployment;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.aws.testing.HeldResponseServer;
import dev.switchboard.aws.testing.HeldResponseServer.Stage;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.resilience.HedgingPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testing.VirtualTime;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a Bedrock call closes its connection at once, at every stage: before the request
 * is signed (nothing is sent), waiting for the headers, and reading the body (issue 22 item 5: the body read used to run on to the call's
 * timeout, 30 s later). Counted on the server: a raw socket that holds its response and sees
 * the client close the connection.
 */
class CancellationTest {
  static final String MODEL = "us.amazon.nova-micro-v1:0";
  static final String BODY_PREFIX = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"the start of";
  /** Far longer than any wait here: a close seen on the server comes from the cancel, not from a timeout. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
  static final Duration PROMPTLY = Duration.ofSeconds(10);

  final CountDownLatch readingBody = new CountDownLatch(1);
  /** When set, the signed call waits here before it reaches the network, as a slow interceptor would. */
  volatile CountDownLatch beforeSigning;
  final CountDownLatch inSigning = new CountDownLatch(1);
  final CompletableFuture<String> afterSigning = new CompletableFuture<>();
  // An application interceptor of the shared client: it runs after the provider's signer, before the network.
  final OkHttpClient http = HttpClients.create(HttpSettings.DEFAULTS).newBuilder()
      .addInterceptor(chain -> {
        CountDownLatch wait = beforeSigning;
        if (wait == null) return chain.proceed(chain.request());
        inSigning.countDown();
        try {
          wait.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        try {
          Response r = chain.proceed(chain.request());
          afterSigning.complete("response " + r.code());
          return r;
        } catch (IOException e) {
          afterSigning.complete("failed: " + e.getMessage());
          throw e;
        }
      })
      .addNetworkInterceptor(chain -> signalFirstBodyRead(chain.proceed(chain.request())))
      .build();
  final VirtualTime time = new VirtualTime();

  @AfterEach
  void stopClient() {
    http.dispatcher().executorService().shutdownNow();
    http.connectionPool().evictAll();
  }

  /** Counts down {@link #readingBody} when the provider first reads the response body. */
  private Response signalFirstBodyRead(Response response) {
    ResponseBody body = response.body();
    ForwardingSource signalling = new ForwardingSource(body.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        readingBody.countDown();
        return super.read(sink, byteCount);
      }
    };
    return response.newBuilder().body(ResponseBody.create(Okio.buffer(signalling), body.contentType(), body.contentLength())).build();
  }

  static Deployment deployment(String name, String url) {
    return Bedrock.deployment(name).region("us-east-1").endpoint(url)
        .staticCredentials(Secret.of("AKIDEXAMPLE"), Secret.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")).build();
  }

  ChatProvider provider(String url) {
    ProviderContext context = new ProviderContext(http, ProviderTestKit.newObjectMapper(), time, time, HttpSettings.DEFAULTS);
    return new BedrockProviderFactory(name -> null).create(deployment("held", url), context);
  }

  static ProviderCall call() {
    return new ProviderCall(ProviderRequest.from(ChatRequest.of("chat", "hello")), new TargetRef("held", "bedrock", MODEL), CALL_TIMEOUT, 1);
  }

  @Test
  void cancellingWhileTheBodyIsReadClosesTheConnection() throws Exception {
    try (HeldResponseServer server = new HeldResponseServer(Stage.DURING_BODY, BODY_PREFIX, 1_000_000);
        ChatProvider provider = provider(server.url())) {
      CompletableFuture<ChatResponse> future = provider.chat(call());
      assertThat(readingBody.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("provider started reading the body").isTrue();

      future.cancel(true);

      assertThat(server.awaitClosedByClient(PROMPTLY)).as("server saw the connection closed").isTrue();
      assertThat(future).isCancelled();
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void cancellingWhileWaitingForTheHeadersClosesTheConnection() throws Exception {
    try (HeldResponseServer server = new HeldResponseServer(Stage.BEFORE_HEADERS, "", 0);
        ChatProvider provider = provider(server.url())) {
      CompletableFuture<ChatResponse> future = provider.chat(call());
      assertThat(server.awaitRequest(PROMPTLY)).isTrue();

      future.cancel(true);

      assertThat(server.awaitClosedByClient(PROMPTLY)).as("server saw the connection closed").isTrue();
      assertThat(future).isCancelled();
      assertThat(readingBody.getCount()).isEqualTo(1);
    }
  }

  /**
   * One owner of the first-event limit: a ConverseStream whose headers never come is ended by the
   * Switchboard's deadline (core's TIMEOUT text), which cancels the call; the provider arms no
   * timer of its own. One request reached the server, and its connection was closed.
   */
  @Test
  void aStreamWhoseFirstEventNeverComesEndsOnCoresDeadline() throws Exception {
    try (HeldResponseServer server = new HeldResponseServer(Stage.BEFORE_HEADERS, "", 0);
        ChatProvider provider = provider(server.url())) {
      provider.stream(call(), new dev.switchboard.testkit.conformance.RecordingListener());
      assertThat(server.awaitRequest(PROMPTLY)).isTrue();
      assertThat(time.pendingTasks()).as("provider timers").isZero();
    }
    try (HeldResponseServer server = new HeldResponseServer(Stage.BEFORE_HEADERS, "", 0);
        Switchboard sb = Switchboard.builder().deployment(deployment("held", server.url()))
            .model(ModelAlias.builder("chat").target("held", MODEL).build())
            .httpClient(http).time(time, time).build()) {
      dev.switchboard.ChatStream stream = sb.stream(ChatRequest.builder("chat").user("hello").timeout(Duration.ofSeconds(5)).build());
      CompletableFuture<dev.switchboard.SwitchboardException> failed = dev.switchboard.testkit.StreamFailure.of(stream);
      assertThat(server.awaitRequest(PROMPTLY)).isTrue();
      time.advance(Duration.ofSeconds(5));
      dev.switchboard.SwitchboardException e = failed.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
      assertThat(e.kind()).isEqualTo(dev.switchboard.ErrorKind.TIMEOUT);
      assertThat(e.getMessage()).contains("call to model alias 'chat' passed its deadline of 5000 ms")
          .doesNotContain("no stream event within");
      assertThat(server.awaitClosedByClient(PROMPTLY)).as("server saw the connection closed").isTrue();
      assertThat(server.requestCount()).isEqualTo(1);
      stream.close();
    }
  }

  @Test
  void cancellingBeforeTheRequestIsSignedSendsNothing() throws Exception {
    beforeSigning = new CountDownLatch(1);
    try (HeldResponseServer server = new HeldResponseServer(Stage.BEFORE_HEADERS, "", 0);
        ChatProvider provider = provider(server.url())) {
      CompletableFuture<ChatResponse> future = provider.chat(call());
      assertThat(inSigning.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();

      future.cancel(true);
      beforeSigning.countDown();

      assertThat(afterSigning.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("failed: Canceled");
      assertThat(future).isCancelled();
      assertThat(server.requestCount()).isZero();
    }
  }

  /**
   * A blocking chat whose primary is stuck in its body: the hedge on the second deployment wins
   * and the call returns with it, closing the primary's connection, instead of waiting for the
   * primary's body to time out on the caller's thread.
   */
  @Test
  void aHedgedBlockingChatReturnsTheWinnerAndClosesTheLosersConnection() throws Exception {
    WireMockServer fast = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    fast.start();
    fast.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"output\":{\"message\":{\"role\":\"assistant\","
            + "\"content\":[{\"text\":\"from the hedge\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":3,"
            + "\"outputTokens\":3,\"totalTokens\":6}}")));
    Duration hedgeAfter = Duration.ofSeconds(1);
    try (HeldResponseServer held = new HeldResponseServer(Stage.DURING_BODY, BODY_PREFIX, 1_000_000);
        Switchboard sb = Switchboard.builder().httpClient(http).time(time, time)
            .deployment(deployment("slow", held.url())).deployment(deployment("fast", fast.baseUrl()))
            .model(ModelAlias.builder("chat").target("slow", MODEL).target("fast", MODEL)
                .routing(RoutingPolicy.builder().hedging(HedgingPolicy.fixed(hedgeAfter)).build()).build())
            .build()) {
      // Once the primary is in its body, time moves on to the hedge (on this helper thread, as a timer would).
      Thread hedger = new Thread(() -> {
        try {
          if (readingBody.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS)) time.advance(hedgeAfter);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "advance-to-hedge");
      hedger.setDaemon(true);
      hedger.start();

      ChatResponse r = assertTimeoutPreemptively(PROMPTLY,
          () -> sb.chat(ChatRequest.builder("chat").user("hello").timeout(CALL_TIMEOUT).build()));

      assertThat(r.text()).isEqualTo("from the hedge");
      assertThat(r.servedBy().deployment()).isEqualTo("fast");
      assertThat(held.awaitClosedByClient(PROMPTLY)).as("the loser's connection closed").isTrue();
      assertThat(held.requestCount()).isEqualTo(1);
      assertThat(fast.getAllServeEvents()).hasSize(1);
    } finally {
      fast.stop();
    }
  }
}
