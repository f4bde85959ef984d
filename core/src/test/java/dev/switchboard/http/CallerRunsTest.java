package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.HttpSettings;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.HedgingPolicy;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import dev.switchboard.testing.VirtualTime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A blocking {@code chat} runs its HTTP call on the caller's own thread; everything the engine
 * does meanwhile (hedges, deadlines, cancellation) still reaches that call.
 */
@Timeout(30) // a regression here is a caller blocked for good: fail instead
class CallerRunsTest {
  private final VirtualTime time = new VirtualTime();
  private final List<Thread> httpThreads = new CopyOnWriteArrayList<>();
  private final OkHttpClient client = HttpClients.create(HttpSettings.DEFAULTS).newBuilder()
      .addInterceptor(chain -> {
        httpThreads.add(Thread.currentThread());
        return chain.proceed(chain.request());
      })
      .build();
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** A provider whose answer is the body of one GET to {@code url}. */
  private final class HttpProvider implements ChatProvider {
    private final String url;

    HttpProvider(String url) {
      this.url = url;
    }

    @Override
    public String type() {
      return "http";
    }

    @Override
    public Capabilities capabilities() {
      return Capabilities.ALL;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ProviderCall call) {
      ErrorContext ctx = new ErrorContext("http", call.target().deployment());
      CompletableFuture<Response> http = HttpCalls.execute(client, new Request.Builder().url(url).build(), ctx);
      CompletableFuture<ChatResponse> answer = http.thenApply(r -> {
        try (Response response = r) {
          return ChatResponse.builder().message(AssistantMessage.of(response.body().string())).servedBy(call.target()).build();
        } catch (IOException e) {
          throw HttpCalls.transportError(e, false, ctx);
        }
      });
      answer.whenComplete((r, e) -> {
        if (e instanceof CancellationException) http.cancel(true); // as every provider does
      });
      return answer;
    }

    @Override
    public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
      throw new UnsupportedOperationException();
    }
  }

  private Switchboard.Builder switchboard(String... urls) {
    return switchboard(RoutingPolicy.DEFAULTS, urls);
  }

  private Switchboard.Builder switchboard(RoutingPolicy routing, String... urls) {
    Switchboard.Builder b = Switchboard.builder().time(time, time);
    ModelAlias.Builder alias = ModelAlias.builder("chat").routing(routing);
    for (int i = 0; i < urls.length; i++) {
      b.deployment("t" + i, new HttpProvider(urls[i]));
      alias.target("t" + i, "m");
    }
    return b.model(alias.build());
  }

  private static String refusingUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort() + "/"; // closed again: connecting is refused
    }
  }

  @Test
  void aBlockingChatRunsItsHttpCallOnTheCallersThread() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    try (Switchboard sb = switchboard(server.url("/").toString()).build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("hello");
    }
    assertThat(httpThreads).containsExactly(Thread.currentThread());
  }

  @Test
  void anAsynchronousChatStaysOffTheCallersThread() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    try (Switchboard sb = switchboard(server.url("/").toString()).build()) {
      assertThat(sb.chatAsync(ChatRequest.of("chat", "hi")).get(10, TimeUnit.SECONDS).text()).isEqualTo("hello");
    }
    assertThat(httpThreads).hasSize(1).doesNotContain(Thread.currentThread());
  }

  @Test
  void theFailoverAfterARefusedConnectionRunsOnTheCallersThreadToo() throws Exception {
    server.enqueue(new MockResponse.Builder().body("from the secondary").build());
    // No retry on the refusing target (a retry waits for its backoff): straight to the next one.
    RoutingPolicy failover = RoutingPolicy.builder().retry(RetryPolicy.NONE).build();
    try (Switchboard sb = switchboard(failover, refusingUrl(), server.url("/").toString()).build()) {
      ChatResponse r = sb.chat(ChatRequest.of("chat", "hi"));
      assertThat(r.text()).isEqualTo("from the secondary");
      assertThat(r.servedBy().deployment()).isEqualTo("t1");
      assertThat(r.attempts().get(0).errorKind()).contains(ErrorKind.NETWORK);
    }
    assertThat(httpThreads).containsExactly(Thread.currentThread(), Thread.currentThread());
  }

  @Test
  void aHedgeStartsWhileTheCallerWaitsOnTheSlowPrimaryAndItsWinCancelsThePrimary() throws Exception {
    try (HeldServer slow = new HeldServer()) {
      server.enqueue(new MockResponse.Builder().body("hedged").build());
      RoutingPolicy hedged = RoutingPolicy.builder().hedging(HedgingPolicy.fixed(Duration.ofMillis(200))).build();
      try (Switchboard sb = switchboard(hedged, slow.url(), server.url("/").toString()).build()) {
        // The caller blocks inside the primary's call; time moves on another thread once it is sent.
        Thread clockHand = new Thread(() -> {
          slow.awaitRequest();
          time.advance(Duration.ofMillis(200));
        });
        clockHand.start();
        ChatResponse r = sb.chat(ChatRequest.of("chat", "hi"));
        clockHand.join(10_000);
        assertThat(r.text()).isEqualTo("hedged");
        assertThat(r.servedBy().deployment()).isEqualTo("t1");
        assertThat(slow.hungUp.await(10, TimeUnit.SECONDS)).as("the primary's call was cancelled").isTrue();
      }
    }
    assertThat(httpThreads).hasSize(2);
    assertThat(httpThreads.get(0)).isSameAs(Thread.currentThread());
    assertThat(httpThreads.get(1)).isNotSameAs(Thread.currentThread());
  }

  @Test
  void theDeadlineCancelsTheCallTheCallerIsRunning() throws Exception {
    try (HeldServer held = new HeldServer(); Switchboard sb = switchboard(held.url()).build()) {
      Thread clockHand = new Thread(() -> {
        held.awaitRequest();
        time.advance(Duration.ofSeconds(5));
      });
      clockHand.start();
      ChatRequest request = ChatRequest.builder("chat").user("hi").timeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(() -> sb.chat(request))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
      clockHand.join(10_000);
      assertThat(held.hungUp.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(httpThreads).containsExactly(Thread.currentThread());
  }

  @Test
  void anInterruptWhileTheRequestIsOnTheWireEndsWithTheAnswerOrCancelledAndKeepsTheFlag() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Switchboard sb = switchboard("http://127.0.0.1:" + held.getLocalPort() + "/").build()) {
      Thread caller = Thread.currentThread();
      Thread peer = new Thread(() -> {
        try (Socket s = held.accept()) {
          readRequestHead(s);
          caller.interrupt(); // before the answer is written: the caller is sending or reading
          s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nanswer"
              .getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException ignored) {
          // the caller may have hung up: it gave up on the interrupt
        }
      });
      peer.start();
      // Okio notices the interrupt if it comes before a read starts; a read already blocked
      // finishes with the answer. Either way nothing waits past the answer, and the flag stays.
      try {
        assertThat(sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("answer");
      } catch (SwitchboardException e) {
        assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
      }
      assertThat(Thread.interrupted()).isTrue(); // and clears it for the next test
      peer.join(10_000);
    }
  }

  @Test
  void aCallerAlreadyInterruptedIsCancelledWithoutWaitingForTheCall() throws Exception {
    try (HeldServer held = new HeldServer(); Switchboard sb = switchboard(held.url()).build()) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void withInterruptibleBlockingCallsAnInterruptCancelsTheCallOnTheWireAtOnce() throws Exception {
    try (HeldServer held = new HeldServer(); Switchboard sb = switchboard(held.url()).interruptibleBlockingCalls(true).build()) {
      Thread caller = Thread.currentThread();
      Thread interrupter = new Thread(() -> {
        held.awaitRequest();
        caller.interrupt();
      });
      interrupter.start();
      assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
      assertThat(Thread.interrupted()).isTrue();
      interrupter.join(10_000);
      assertThat(held.hungUp.await(10, TimeUnit.SECONDS)).as("the call was cancelled").isTrue();
    }
    assertThat(httpThreads).hasSize(1).doesNotContain(Thread.currentThread());
  }

  /**
   * A server that takes one request and never answers: it holds the connection until the client
   * hangs up, and tells when the request arrived and when the client hung up.
   */
  private static final class HeldServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch hungUp = new java.util.concurrent.CountDownLatch(1);
    private final Thread peer = new Thread(() -> {
      try (Socket s = socket.accept()) {
        readRequestHead(s);
        arrived.countDown();
        while (s.getInputStream().read() >= 0) {
          // hold: nothing is sent back
        }
        hungUp.countDown();
      } catch (IOException e) {
        hungUp.countDown(); // a reset is hanging up too
      }
    });

    HeldServer() throws IOException {
      peer.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }

    void awaitRequest() {
      try {
        assertThat(arrived.await(10, TimeUnit.SECONDS)).as("request arrived").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void readRequestHead(Socket s) throws IOException {
    var in = s.getInputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) return;
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }
}
