package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.routing.RoutingPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stream size limit on the wire (issue 22 item 9): a loopback server sends a gzip SSE body of
 * a few dozen KB that inflates to 32 MiB of text. With the default {@code http.maxStreamBytes}
 * (16 MiB) the stream ends with PROTOCOL after the deltas that fit, and — though stream-restart
 * is on — the second deployment's server gets no request. Before the limit this stream was
 * accumulated whole (the reported case ran a 256 MB heap out of memory).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamSizeLimitLoopbackTest {
  private static final int DELTA = 32 * 1024;
  private static final int EVENTS = 1024; // 32 MiB of text

  private static byte[] gzipSse() throws IOException {
    String chunk = "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "a".repeat(DELTA) + "\"}}]}\n\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < EVENTS; i++) gz.write(bytes);
      gz.write(("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void aGzipStreamThatInflatesPastTheDefaultLimitEndsWithProtocolAndIsNotRestartedElsewhere() throws Exception {
    byte[] body = gzipSse();
    assertThat(body.length).as("bytes on the wire").isLessThan(256 * 1024);
    try (MockWebServer primary = new MockWebServer(); MockWebServer secondary = new MockWebServer()) {
      primary.start(InetAddress.getByName("127.0.0.1"), 0);
      secondary.start(InetAddress.getByName("127.0.0.1"), 0);
      primary.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .addHeader("Content-Encoding", "gzip").body(new Buffer().write(body)).build());
      secondary.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .body("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"second\"},\"finish_reason\":\"stop\"}]}\n\n"
              + "data: [DONE]\n\n").build());
      try (Switchboard sb = Switchboard.builder()
              .deployment(OpenAi.deployment("primary").baseUrl(primary.url("/v1").toString()).apiKey("sk-test-000000000000").build())
              .deployment(OpenAi.deployment("secondary").baseUrl(secondary.url("/v1").toString()).apiKey("sk-test-111111111111").build())
              .model(ModelAlias.builder("chat").target("primary", "m").target("secondary", "m")
                  .routing(RoutingPolicy.builder().streamRestart(true).build()).build())
              .build();
          ChatStream stream = sb.stream(ChatRequest.of("chat", "hi"))) {
        AtomicInteger textBytes = new AtomicInteger();
        AtomicInteger deltas = new AtomicInteger();
        CompletableFuture<SwitchboardException> error = new CompletableFuture<>();
        stream.listen(new ChatStreamListener() {
          @Override
          public void onEvent(ChatEvent event) {
            if (event instanceof ChatEvent.TextDelta d) {
              deltas.incrementAndGet();
              textBytes.addAndGet(d.text().length());
            }
          }

          @Override
          public void onError(SwitchboardException e) {
            error.complete(e);
          }
        });
        SwitchboardException e = error.get(30, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(StreamInterruptedException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(e.getMessage()).contains("size limit of 16777216 bytes");
        assertThat(deltas).hasValue(16 * 1024 * 1024 / DELTA); // 512: every delta that fits, none after
        assertThat(textBytes).hasValue(16 * 1024 * 1024);
        assertThat(primary.getRequestCount()).isEqualTo(1);
        assertThat(secondary.getRequestCount()).as("requests that reached the second server").isZero();
      }
    }
  }
}
