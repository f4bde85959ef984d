package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.http.SseEvent;
import dev.switchboard.http.SseReader;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.spi.ProviderContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import okhttp3.OkHttpClient;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import dev.switchboard.testkit.conformance.RecordingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded OpenAI stream must decode to the same events however its bytes are split:
 * one byte per read, random small reads, and random small TCP writes through a real socket.
 * A stream cut at any byte must either fail with PROTOCOL or (cut after the finish reason)
 * complete with exactly the full answer — never complete with a partial one.
 */
class StreamChunkingTest {
  private static final ErrorContext CTX = new ErrorContext("openai", "chunking");
  private static final OkHttpClient CLIENT = HttpClients.create(HttpSettings.DEFAULTS);
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());

  /** Every successful streamed chat.completions body in the OpenAI fixtures. */
  static Stream<org.junit.jupiter.params.provider.Arguments> recordedStreams() {
    List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
    for (String dir : List.of("openai/pydantic-ai", "openai/newrelic")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        Cassette c = Cassette.load(file);
        for (Interaction i : c.interactions()) {
          if (i.request().path().endsWith("/chat/completions") && i.response().status() == 200
              && i.request().json().map(j -> j.path("stream").asBoolean(false)).orElse(false)) {
            out.add(org.junit.jupiter.params.provider.Arguments.of(c.name() + " #" + i.index(), i.response().decodedBody()));
          }
        }
      }
    }
    StringBuilder sse = new StringBuilder();
    for (String line : Fixtures.text("openai/vercel-ai/openai-text.chunks.txt").split("\n")) {
      if (!line.isBlank()) sse.append("data: ").append(line).append("\r\n\r\n");
    }
    sse.append("data: [DONE]\r\n\r\n");
    out.add(org.junit.jupiter.params.provider.Arguments.of("vercel openai-text.chunks.txt (CRLF)", sse.toString().getBytes(StandardCharsets.UTF_8)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedStreams")
  void anySplitOfTheBytesGivesTheSameEvents(String name, byte[] body) throws IOException {
    Result whole = decode(body, body.length, new Random(1));
    assertThat(whole.error).as("reference decoding of " + name).isNull();
    assertThat(whole.events).isNotEmpty();
    assertThat(decode(body, 1, new Random(2)).events).as("one byte per read").isEqualTo(whole.events);
    for (long seed = 3; seed < 8; seed++) {
      assertThat(decode(body, 17, new Random(seed)).events).as("random reads, seed " + seed).isEqualTo(whole.events);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedStreams")
  void throughASocketInRandomSmallWrites(String name, byte[] body) throws Exception {
    Result whole = decode(body, body.length, new Random(1));
    try (MockWebServer server = new MockWebServer(); RealTimeScheduler scheduler = new RealTimeScheduler()) {
      server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      ProviderContext context = new ProviderContext(CLIENT, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), Clock.systemUTC(),
          scheduler, HttpSettings.DEFAULTS);
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .body(new TrickleBody(body, new Random(name.hashCode()))).build());
      var provider = new OpenAiProviderFactory().create(
          OpenAi.deployment("chunking").baseUrl(server.url("/v1").toString()).build(), context);
      RecordingListener listener = new RecordingListener();
      provider.stream(new ProviderCall(ProviderRequest.from(ChatRequest.of("alias", "hi")), new TargetRef("chunking", "openai", "m"),
          Duration.ofSeconds(20), 1), listener);
      listener.await(Duration.ofSeconds(20));
      assertThat(listener.events).isEqualTo(whole.events);
      Harness.validateBody(server.takeRequest().getBody().toByteArray());
    }
  }

  @Test
  void aStreamCutAtAnyByteNeverCompletesWithAPartialAnswer() throws IOException {
    byte[] body = Cassette.fixture("openai/pydantic-ai/test_run_stream_sync_streams_real_model.yaml")
        .interactions().get(1).response().decodedBody();
    Result whole = decode(body, body.length, new Random(1));
    StreamCollector full = accumulate(whole.events);
    int completed = 0;
    for (int cut = 0; cut < body.length; cut++) {
      byte[] head = java.util.Arrays.copyOf(body, cut);
      Result r = decode(head, 64, new Random(cut));
      if (r.error != null) {
        assertThat(r.error.kind()).as("cut at byte " + cut).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(r.events).noneMatch(ChatEvent.Finish.class::isInstance);
      } else {
        completed++;
        StreamCollector acc = accumulate(r.events);
        assertThat(acc.partial().text()).as("cut at byte " + cut).isEqualTo(full.partial().text());
        assertThat(r.events).last().isEqualTo(whole.events.stream().filter(ChatEvent.Finish.class::isInstance).findFirst().orElseThrow());
      }
    }
    // Only cuts after the finish-reason chunk may complete (without the usage chunk or [DONE]).
    assertThat(completed).isPositive().isLessThan(body.length / 4);
  }

  private record Result(List<ChatEvent> events, SwitchboardException error) {}

  /** Reads {@code body} the way the provider does, with reads of at most {@code maxRead} bytes. */
  private Result decode(byte[] body, int maxRead, Random random) throws IOException {
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder decoder = codec.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    SseReader reader = new SseReader(Okio.buffer(new SmallReads(body, maxRead, random)), HttpSettings.DEFAULTS.maxStreamLineBytes());
    try {
      SseEvent e;
      while ((e = reader.next()) != null) {
        decoder.accept(e.event(), e.data(), events::add);
        if (decoder.isDone()) break;
      }
      decoder.finish(events::add, Optional.empty(), Optional.empty());
      return new Result(events, null);
    } catch (SwitchboardException e) {
      return new Result(events, e);
    }
  }

  private static StreamCollector accumulate(List<ChatEvent> events) {
    StreamCollector acc = new StreamCollector();
    events.forEach(acc::accept);
    return acc;
  }

  /** A source that hands out at most a random 1..max bytes per read. */
  private static final class SmallReads implements Source {
    private final Buffer data = new Buffer();
    private final int max;
    private final Random random;

    SmallReads(byte[] body, int max, Random random) {
      data.write(body);
      this.max = max;
      this.random = random;
    }

    @Override
    public long read(Buffer sink, long byteCount) {
      if (data.size() == 0) return -1;
      long n = Math.min(Math.min(byteCount, data.size()), 1 + random.nextInt(max));
      sink.write(data, n);
      return n;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }

  /** A response body written in random 1..16-byte pieces, each flushed to the socket. */
  private static final class TrickleBody implements MockResponseBody {
    private final byte[] body;
    private final Random random;

    TrickleBody(byte[] body, Random random) {
      this.body = body;
      this.random = random;
    }

    @Override
    public long getContentLength() {
      return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      int i = 0;
      while (i < body.length) {
        int n = Math.min(body.length - i, 1 + random.nextInt(16));
        sink.write(body, i, n);
        sink.flush();
        i += n;
      }
    }
  }
}
