package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The leak guard can fail: a response body deliberately left open and dropped is reported by
 * OkHttp through the logger the guard listens on, once the guard collects garbage and sweeps the
 * pool. Without this, a guard that never fires would look the same as a clean run.
 */
class LeakGuardSelfTest {

  @Test
  void anUnclosedResponseBodyIsReported() throws Exception {
    LeakGuard.clearReports();
    OkHttpClient client = new OkHttpClient.Builder().build();
    LeakGuard.watch(client.connectionPool());
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().body("a body nobody reads or closes").build());
      server.start(InetAddress.getLoopbackAddress(), 0);
      leakOne(client, server);
      Waits.until(Duration.ofSeconds(30), () -> {
        LeakGuard.sweep();
        return !LeakGuard.reports().isEmpty();
      }, () -> "OkHttp did not report the leaked response body");
      assertThat(LeakGuard.reports()).anySatisfy(r -> assertThat(r).contains("was leaked"));
    } finally {
      LeakGuard.clearReports();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  private static void leakOne(OkHttpClient client, MockWebServer server) throws Exception {
    Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute();
    assertThat(response.code()).isEqualTo(200);
    // not closed, and dropped when this method returns
  }
}
