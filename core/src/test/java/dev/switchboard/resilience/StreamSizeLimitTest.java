package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.HttpSettings;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code http.max-stream-bytes}: a stream whose assembled answer (text, tool calls) would pass it
 * ends with a PROTOCOL error naming the limit; the caller got every event before the one that
 * would pass it, the provider's stream is cancelled, and the stream is not restarted or failed
 * over on another target (which would send as much). Before the limit a stream's answer grew
 * without bound (issue 22 item 9: 1.4 MB of gzip ran a 256 MB heap out of memory).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamSizeLimitTest {
  private final Harness h = new Harness();
  /** Restart opted in, so that the test shows the limit is what stops a restart, not the default. */
  private static final RoutingPolicy RESTART = RoutingPolicy.builder().streamRestart(true).build();

  static final class Collector implements ChatStreamListener {
    final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<SwitchboardException> error = new CompletableFuture<>();

    @Override
    public void onEvent(ChatEvent event) {
      events.add(event);
    }

    @Override
    public void onError(SwitchboardException e) {
      error.complete(e);
    }
  }

  private Switchboard twoTargets(MockProvider a, MockProvider b, long maxStreamBytes) {
    return h.builder().http(HttpSettings.DEFAULTS.withMaxStreamBytes(maxStreamBytes))
        .deployment("a", a).deployment("b", b).model(alias("chat", RESTART, "a", "b")).build();
  }

  private static StreamScript deltas(String delta, int count) {
    StreamScript.Builder s = StreamScript.builder();
    for (int i = 0; i < count; i++) s.text(delta);
    return s.build();
  }

  @Test
  void aStreamPastTheLimitEndsWithProtocolAfterTheDeltasBeforeItAndIsNotRestartedElsewhere() throws Exception {
    String kb = "x".repeat(1000);
    MockProvider a = h.mock().thenStream(deltas(kb, 1000)); // 1 MB against a 4,096-byte limit
    MockProvider b = h.mock().otherwiseReply("the second target must not be asked");
    try (Switchboard sb = twoTargets(a, b, 4096); ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      SwitchboardException e = c.error.get(10, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(StreamInterruptedException.class);
      assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
      assertThat(e.getMessage()).contains("http.max-stream-bytes").contains("size limit of 4096 bytes");
      assertThat(((StreamInterruptedException) e).partial().text()).hasSize(4000);
      assertThat(c.events).hasSize(4).allMatch(ev -> ev.equals(new ChatEvent.TextDelta(kb)));
      assertThatThrownBy(() -> Harness.get(stream.response())).isSameAs(e);
      Harness.eventually(() -> a.cancellations() == 1);
      b.assertCallCount(0);
      a.assertCallCount(1);
    }
  }

  @Test
  void toolCallArgumentsAndMultiByteTextCountTowardsTheLimitForAnIteratorToo() {
    // 2 bytes per 'é': 500 of them are 1,000 bytes of UTF-8, though 500 chars.
    String accents = "é".repeat(500);
    StreamScript.Builder s = StreamScript.builder().text(accents).toolCall(0, "call-1", "lookup", "{\"q\":\"");
    for (int i = 0; i < 100; i++) s.toolCall(0, null, null, "y".repeat(500));
    MockProvider a = h.mock().thenStream(s.build());
    MockProvider b = h.mock().otherwiseReply("unused");
    List<ChatEvent> got = new ArrayList<>();
    try (Switchboard sb = twoTargets(a, b, 3000); ChatStream stream = sb.stream(request("chat"))) {
      assertThatThrownBy(() -> stream.forEach(got::add)).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(e.getMessage()).contains("size limit of 3000 bytes");
        // 1,000 (text) + 6 + 6 + 6 (id, name, first fragment) + 3 x 500 = 2,518; one more fragment is 3,018.
        assertThat(e.partial().toolCalls()).singleElement().satisfies(t -> assertThat(t.arguments()).hasSize(6 + 1500));
      });
      assertThat(got).hasSize(5);
      b.assertCallCount(0);
    }
  }

  @Test
  void aStreamWithinTheLimitIsUntouchedAndAResetStartsTheCountAgain() {
    String kb = "z".repeat(1000);
    MockProvider a = h.mock().thenStream(StreamScript.builder().text(kb).text(kb).text(kb).fail(ErrorKind.SERVER_ERROR));
    MockProvider b = h.mock().thenStream(deltas(kb, 3));
    try (Switchboard sb = twoTargets(a, b, 3000); ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      // 3,000 bytes exactly on each target: at the limit is allowed, and the restart counts from zero.
      assertThat(Harness.get(stream.response()).text()).isEqualTo(kb.repeat(3));
      assertThat(c.events).filteredOn(ev -> ev instanceof ChatEvent.Reset).hasSize(1);
    }
  }

  @Test
  void theDefaultLimitIs16MiB() throws Exception {
    // Without a setting: 17 MiB of deltas (one 1 MiB string, sent 17 times) stops after 16 of them.
    // Before the limit existed this stream completed, holding all 17 MiB.
    assertThat(HttpSettings.DEFAULTS.maxStreamBytes()).isEqualTo(16L * 1024 * 1024);
    String mib = "m".repeat(1024 * 1024);
    MockProvider a = h.mock().thenStream(deltas(mib, 17));
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build();
        ChatStream stream = sb.stream(request("chat"))) {
      Collector c = new Collector();
      stream.listen(c);
      SwitchboardException e = c.error.get(30, TimeUnit.SECONDS);
      assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
      assertThat(e.getMessage()).contains("size limit of 16777216 bytes");
      assertThat(c.events).hasSize(16);
    }
  }

  @Test
  void theLimitIsSetInConfigAsHttpMaxStreamBytesAndChecked() {
    String yaml = """
        deployments:
          m: {type: mock, reply: "%s", latency-ms: 0}
        models:
          chat: {targets: [{deployment: m, model: x}]}
        http: {max-stream-bytes: 1024}
        """.formatted("w".repeat(2000));
    Switchboard.Builder builder = ConfigLoader.withEnvironment(Map.of())
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    try (Switchboard sb = builder.build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "hi")).text()).hasSize(2000); // not a stream: maxResponseBytes applies
      try (ChatStream stream = sb.stream(ChatRequest.of("chat", "hi"))) {
        assertThatThrownBy(() -> stream.forEach(ev -> { })).isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
          assertThat(e.getMessage()).contains("size limit of 1024 bytes");
        });
      }
    }
    assertThatThrownBy(() -> ConfigLoader.withEnvironment(Map.of())
        .load(new ByteArrayInputStream(yaml.replace("1024", "10").getBytes(StandardCharsets.UTF_8))).build())
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).contains("http.max-stream-bytes: must be at least 1024"));
    assertThatThrownBy(() -> HttpSettings.DEFAULTS.withMaxStreamBytes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("http.maxStreamBytes must be >= 1024");
  }
}
