package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import dev.switchboard.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a stream part way: from inside {@code onEvent} (the consumer's thread, as a closing
 * {@code ChatStream} does) the call is cancelled, the connection released, and the listener
 * hears nothing more — no error, no completion.
 */
class StreamCancelTest {

  @Test
  void cancelWhileTheBodyIsStillArrivingStopsEverything() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OkHttpClient client = HttpClients.create(HttpSettings.DEFAULTS);
    try (MockWebServer server = new MockWebServer(); RealTimeScheduler scheduler = new RealTimeScheduler()) {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .body(new MockResponseBody() {
            @Override
            public long getContentLength() {
              return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
              sink.writeUtf8("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n");
              sink.flush();
              try {
                release.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              sink.writeUtf8("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"},\"finish_reason\":\"stop\"}]}\n\n"
                  + "data: [DONE]\n\n");
              sink.flush();
            }
          }).build());
      ProviderContext context = new ProviderContext(client, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), Clock.systemUTC(),
          scheduler, HttpSettings.DEFAULTS);
      ChatProvider provider = new OpenAiProviderFactory().create(
          OpenAi.deployment("cancel").baseUrl(server.url("/v1").toString()).build(), context);
      List<Object> heard = new CopyOnWriteArrayList<>();
      AtomicReference<StreamHandle> handle = new AtomicReference<>();
      CountDownLatch started = new CountDownLatch(1);
      StreamHandle h = provider.stream(new ProviderCall(ProviderRequest.from(ChatRequest.of("alias", "hi")), new TargetRef("cancel", "openai", "m"), Duration.ofSeconds(20), 1),
          new ProviderStreamListener() {
            @Override
            public void onEvent(ChatEvent event) {
              heard.add(event);
              try {
                started.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              handle.get().cancel();
            }

            @Override
            public void onComplete(ResponseMetadata metadata) {
              heard.add("complete");
            }

            @Override
            public void onError(SwitchboardException error) {
              heard.add(error);
            }
          });
      // onEvent waits until the handle is published, then cancels from the reading thread.
      handle.set(h);
      started.countDown();
      Eventually.await("no call left running", Duration.ofSeconds(20), () -> client.dispatcher().runningCallsCount() == 0);
      release.countDown();
      assertThat(heard).containsExactly(new ChatEvent.TextDelta("first"));
    } finally {
      release.countDown();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
