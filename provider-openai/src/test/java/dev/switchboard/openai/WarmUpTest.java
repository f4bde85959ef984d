package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.spi.ProviderContext;
import java.net.InetAddress;
import java.time.Clock;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** {@code warmUp()} runs the codec in memory only: the server sees no request; it can run twice. */
class WarmUpTest {

  @Test
  void warmUpSendsNothingAndItsCannedAnswerDecodes() throws Exception {
    OkHttpClient client = HttpClients.create(HttpSettings.DEFAULTS);
    try (MockWebServer server = new MockWebServer(); RealTimeScheduler scheduler = new RealTimeScheduler()) {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      ProviderContext context = new ProviderContext(client, ProviderTestKit.newObjectMapper(), Clock.systemUTC(), scheduler, HttpSettings.DEFAULTS);
      for (OpenAiApi api : OpenAiApi.values()) {
        OpenAiProvider p = (OpenAiProvider) new OpenAiProviderFactory().create(
            OpenAi.deployment("warm-" + api).baseUrl(server.url("/v1").toString()).apiKey("sk-warm-up").api(api).build(), context);
        p.warmUp();
        p.warmUp();
        // The provider drops warm-up failures (the SPI forbids throwing); this keeps the canned body honest.
        if (api == OpenAiApi.CHAT_COMPLETIONS) assertThat(p.warmUpOrThrow().text()).isEqualTo("ok");
      }
      assertThat(server.getRequestCount()).isZero();
    } finally {
      client.dispatcher().executorService().shutdown();
    }
  }
}
