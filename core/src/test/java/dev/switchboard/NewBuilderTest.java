package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.CircuitState;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import dev.switchboard.testing.MockProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Switchboard#newBuilder()}: the derived switchboard shares the HTTP client (one
 * connection pool, counted at a loopback server), the targets' health (a circuit opened through
 * one is open in the other) and the ready-made providers, which the last switchboard to close
 * closes.
 */
@Timeout(30)
class NewBuilderTest {
  private MockWebServer server;
  private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
  private final List<Switchboard> open = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        received.add(request);
        return request.getUrl().encodedPath().equals("/down")
            ? new MockResponse.Builder().code(503).body("down").build()
            : new MockResponse.Builder().body("from " + request.getUrl().encodedPath().substring(1)).build();
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    open.forEach(Switchboard::close);
    server.close();
  }

  /** Answers with the body of one GET to its {@code url} setting, over the switchboard's client. */
  private static final class LoopbackProvider implements ChatProvider {
    final OkHttpClient client;
    final String url;
    final AtomicInteger closes = new AtomicInteger();

    LoopbackProvider(OkHttpClient client, String url) {
      this.client = client;
      this.url = url;
    }

    @Override
    public String type() {
      return "loopback";
    }

    @Override
    public Capabilities capabilities() {
      return Capabilities.ALL;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ProviderCall call) {
      ErrorContext ctx = new ErrorContext("loopback", call.target().deployment());
      return HttpCalls.execute(client, new Request.Builder().url(url).build(), ctx).thenApply(r -> {
        try (Response response = r) {
          String body = response.body().string();
          if (response.code() == 503) throw SwitchboardException.of(ErrorKind.UNAVAILABLE, "503");
          return ChatResponse.builder().message(AssistantMessage.of(body)).servedBy(call.target()).build();
        } catch (IOException e) {
          throw HttpCalls.transportError(e, false, ctx);
        }
      });
    }

    @Override
    public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private static final class LoopbackFactory implements ProviderFactory {
    @Override
    public String type() {
      return "loopback";
    }

    @Override
    public int specVersion() {
      return 3; // the SPI version this test factory is written against
    }

    @Override
    public ChatProvider create(Deployment deployment, ProviderContext context) {
      return new LoopbackProvider(context.httpClient(), deployment.setting("url").orElseThrow());
    }
  }

  private Deployment loopback(String name, String path) {
    return Deployment.builder(name, "loopback").setting("url", server.url(path).toString()).build();
  }

  private Switchboard track(Switchboard sb) {
    open.add(sb);
    return sb;
  }

  private Switchboard.Builder original() {
    return Switchboard.builder().scanClasspath(false).providerFactory(new LoopbackFactory())
        .deployment(loopback("down", "/down").toBuilder().circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(2).build())
            .build())
        .deployment(loopback("up", "/up"))
        .model(ModelAlias.builder("chat").target("down", "m").target("up", "m").build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build());
  }

  @Test
  void theDerivedSwitchboardReusesTheConnectionsOfTheOriginal() {
    Switchboard first = track(original().build());
    Switchboard second = track(first.newBuilder().build());
    assertThat(first.chat(ChatRequest.builder().model("chat").user("hi").target("up", "m").build()).text()).isEqualTo("from up");
    assertThat(second.chat(ChatRequest.builder().model("chat").user("hi").target("up", "m").build()).text()).isEqualTo("from up");
    assertThat(server.getRequestCount()).isEqualTo(2);
    // One connection for both: the second switchboard's request was the second exchange on it.
    assertThat(received).extracting(RecordedRequest::getConnectionIndex).containsExactly(0, 0);
    assertThat(received).extracting(RecordedRequest::getExchangeIndex).containsExactly(0, 1);
  }

  @Test
  void aCircuitOpenedThroughOneIsOpenInTheOther() {
    Switchboard first = track(original().build());
    Switchboard second = track(first.newBuilder().build());
    first.chat(ChatRequest.of("chat", "1"));
    first.chat(ChatRequest.of("chat", "2"));
    assertThat(received).extracting(r -> r.getUrl().encodedPath()).containsExactly("/down", "/up", "/down", "/up");
    assertThat(second.targets()).filteredOn(t -> t.target().deployment().equals("down"))
        .singleElement().satisfies(t -> assertThat(t.circuit()).isEqualTo(CircuitState.OPEN));

    ChatResponse r = second.chat(ChatRequest.of("chat", "3"));
    assertThat(r.text()).isEqualTo("from up");
    assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
    assertThat(r.attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("circuit"));
    assertThat(server.getRequestCount()).as("the open circuit kept the second switchboard off 'down'").isEqualTo(5);
  }

  @Test
  void theDerivedBuilderChangesWhatIsItsOwnAndRefusesWhatIsShared() {
    Switchboard first = track(original().build());
    List<String> ends = new CopyOnWriteArrayList<>();
    Switchboard second = track(first.newBuilder()
        .model(ModelAlias.builder("chat").target("up", "m").build()) // replaces the inherited alias
        .callListenerFactory(call -> new CallListener() {
          @Override
          public void callEnd(CallEnd end) {
            ends.add(end.servedBy().map(TargetRef::deployment).orElse("none"));
          }
        })
        .build());
    assertThat(second.chat(ChatRequest.of("chat", "hi")).attempts()).hasSize(1);
    assertThat(first.chat(ChatRequest.of("chat", "hi")).attempts()).hasSize(2);
    assertThat(ends).as("the listener is the second one's alone").containsExactly("up");

    assertThatThrownBy(() -> first.newBuilder().http(HttpSettings.DEFAULTS)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shares the HTTP settings");
    assertThatThrownBy(() -> first.newBuilder().time(java.time.Clock.systemUTC())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shares the time");
  }

  @Test
  void closingTheDerivedOneLeavesTheOriginalWorkingAndTheLastCloseClosesWhatIsShared() {
    LoopbackProvider readyMade = new LoopbackProvider(new OkHttpClient(), server.url("/ready").toString());
    Switchboard first = original().deployment(Deployment.builder("ready", "loopback").build(), readyMade)
        .model(ModelAlias.builder("ready").target("ready", "m").build()).build();
    Switchboard second = first.newBuilder().build();
    Switchboard third = first.newBuilder().build();

    second.close();
    assertThatThrownBy(() -> second.chat(ChatRequest.of("ready", "hi"))).isInstanceOf(IllegalStateException.class);
    assertThat(first.chat(ChatRequest.builder().model("chat").user("hi").target("up", "m").build()).text()).isEqualTo("from up");
    assertThat(received).extracting(RecordedRequest::getConnectionIndex).as("the pool was not evicted").containsExactly(0);
    assertThat(readyMade.closes).hasValue(0);

    first.close(); // the original may close first: the third still has the client, the health and the ready-made provider
    assertThatThrownBy(first::newBuilder).isInstanceOf(IllegalStateException.class);
    assertThat(third.chat(ChatRequest.of("ready", "hi")).text()).isEqualTo("from ready");
    assertThat(third.chat(ChatRequest.builder().model("chat").user("hi").target("up", "m").build()).text()).isEqualTo("from up");
    assertThat(readyMade.closes).hasValue(0);

    third.close();
    assertThat(readyMade.closes).as("closed once, by the last switchboard").hasValue(1);
    readyMade.client.dispatcher().executorService().shutdown();
  }
}
