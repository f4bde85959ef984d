package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.testing.MockProvider;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class SwitchboardCloseTest {

  /** Captures the context handed to providers, to reach the shared HTTP client. */
  private static final class Probe implements ProviderFactory {
    final AtomicReference<ProviderContext> context = new AtomicReference<>();

    @Override
    public String type() {
      return "probe";
    }

    @Override
    public int specVersion() {
      return 3;
    }

    @Override
    public ChatProvider create(Deployment deployment, ProviderContext context) {
      this.context.set(context);
      return MockProvider.create();
    }
  }

  private static void useOnce(OkHttpClient shared, MockWebServer server) throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    try (Response r = HttpCalls.execute(shared, new Request.Builder().url(server.url("/")).build(),
        new ErrorContext("probe", "probe")).get(10, TimeUnit.SECONDS)) {
      assertThat(r.body().string()).isEqualTo("ok");
    }
  }

  @Test
  void closeStopsTheDispatcherAndPoolItBuiltOnACallersClientButNotTheCallersOwn() throws Exception {
    OkHttpClient callers = new OkHttpClient.Builder().build();
    Probe probe = new Probe();
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getLoopbackAddress(), 0);
      Switchboard sb = Switchboard.builder().httpClient(callers).providerFactory(probe)
          .deployment(Deployment.builder("p", "probe").build())
          .model(ModelAlias.builder("chat").target("p", "m").build()).build();
      OkHttpClient shared = probe.context.get().httpClient();
      assertThat(shared.dispatcher()).isNotSameAs(callers.dispatcher());
      assertThat(shared.connectionPool()).isNotSameAs(callers.connectionPool());
      useOnce(shared, server); // starts a dispatcher thread and leaves an idle pooled connection
      assertThat(shared.connectionPool().connectionCount()).isEqualTo(1);

      sb.close();

      // Before the fix these stayed: OkHttp dispatcher threads for 60 s, pooled connections for 5 min.
      assertThat(shared.dispatcher().executorService().isShutdown()).isTrue();
      assertThat(shared.connectionPool().connectionCount()).isZero();
      assertThat(callers.dispatcher().executorService().isShutdown()).isFalse();
      useOnce(callers, server); // the caller's client still works
      callers.dispatcher().executorService().shutdown();
      callers.connectionPool().evictAll();
    }
  }

  @Test
  void closeStopsTheClientItCreatedItself() throws Exception {
    Probe probe = new Probe();
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getLoopbackAddress(), 0);
      Switchboard sb = Switchboard.builder().providerFactory(probe).deployment(Deployment.builder("p", "probe").build())
          .model(ModelAlias.builder("chat").target("p", "m").build()).build();
      OkHttpClient shared = probe.context.get().httpClient();
      useOnce(shared, server);
      sb.close();
      assertThat(shared.dispatcher().executorService().isShutdown()).isTrue();
      assertThat(shared.connectionPool().connectionCount()).isZero();
    }
  }
}
