package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.http.SseEvent;
import dev.switchboard.http.SseReader;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import dev.switchboard.testkit.fuzz.Hostile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import okhttp3.Headers;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Property tests of the OpenAI wire parsers on hostile input: the SSE reader with the stream
 * decoder (read exactly as {@link OpenAiSseStream} reads a response), and the JSON codec (chat bodies,
 * embeddings, error bodies). On garbage — random bytes, token soups, mutated recordings — the
 * only failure allowed is a {@link SwitchboardException} of kind PROTOCOL, or the server's own
 * error when the garbage happens to carry a well-formed error object; never another exception,
 * a hang, or an unbounded allocation. Any split of a valid recorded stream into reads gives
 * exactly the events of the whole.
 */
class OpenAiParserPropertyTest {
  static final ErrorContext CTX = new ErrorContext("openai", "fuzz");
  static final int MAX_LINE = 64 * 1024;
  static final Secret KEY = Secret.of("sk-fuzz-0123456789abcdef");
  static final TargetRef TARGET = new TargetRef("fuzz", "openai", "gpt-4o-mini");
  final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());

  /** The outcome of reading one body: the events delivered and the error that ended it, if any. */
  record Decoded(List<ChatEvent> events, SwitchboardException error) {}

  /** Reads {@code source} as {@link OpenAiSseStream} does; I/O failures are classified the same way. */
  Decoded decode(BufferedSource source) {
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder decoder = codec.streamDecoder(CTX, List.of(KEY), ExtraFields.NONE);
    SseReader reader = new SseReader(source, MAX_LINE);
    try {
      SseEvent event;
      while ((event = reader.next()) != null) {
        decoder.accept(event.event(), event.data(), events::add);
        if (decoder.isDone()) break;
      }
      decoder.finish(events::add, Optional.empty(), Optional.empty());
      return new Decoded(events, null);
    } catch (SwitchboardException e) {
      return new Decoded(events, e);
    } catch (IOException e) {
      return new Decoded(events, HttpCalls.transportError(e, false, CTX));
    }
  }

  Decoded decode(byte[] body) {
    return decode(new Buffer().write(body));
  }

  /** A typed failure: PROTOCOL, or the classification of an error object the server sent. */
  static void assertTypedFailure(SwitchboardException e) {
    if (e == null) return;
    if (e.kind() != ErrorKind.PROTOCOL) {
      assertThat(e.detail()).as("a non-PROTOCOL failure must be an error the server sent: %s", e).startsWith("error inside the stream: ");
    }
    assertThat(e.provider()).contains("openai");
    assertThat(e.getMessage()).doesNotContain(KEY.reveal());
  }

  // ---- recorded streams ------------------------------------------------------------------------------

  static final Supplier<List<byte[]>> STREAMS = Fixtures.lazy(() -> recordedStreams());

  static List<byte[]> recordedStreams() {
    List<byte[]> out = new ArrayList<>();
    for (String dir : List.of("openai/pydantic-ai", "openai/newrelic", "azure-openai/mirascope/input/cassettes",
        "azure-openai/mirascope/output/cassettes")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        for (Interaction i : Cassette.load(file).interactions()) {
          if (i.request().path().endsWith("/chat/completions") && i.response().status() == 200
              && i.response().contentType().filter(t -> t.contains("event-stream")).isPresent()) {
            out.add(i.response().decodedBody());
          }
        }
      }
    }
    for (String chunks : List.of("openai/vercel-ai/openai-text.chunks.txt", "azure-openai/vercel-ai/azure-model-router.1.chunks.txt")) {
      StringBuilder sse = new StringBuilder();
      for (String line : Fixtures.text(chunks).split("\n")) {
        if (!line.isBlank()) sse.append("data: ").append(line).append("\n\n");
      }
      out.add(sse.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  static final Supplier<List<byte[]>> BODIES = Fixtures.lazy(() -> recordedBodies());

  static List<byte[]> recordedBodies() {
    List<byte[]> out = new ArrayList<>();
    for (String dir : List.of("openai/pydantic-ai", "openai/newrelic", "azure-openai/pydantic-ai", "azure-openai/mirascope/input/cassettes")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        for (Interaction i : Cassette.load(file).interactions()) {
          if (i.request().path().endsWith("/chat/completions")
              && i.response().contentType().filter(t -> t.contains("json")).isPresent()) {
            out.add(i.response().decodedBody());
          }
        }
      }
    }
    return out;
  }

  @Provide
  Arbitrary<byte[]> recordedStream() {
    return Arbitraries.of(STREAMS.get());
  }

  @Provide
  Arbitrary<byte[]> mutatedStream() {
    return Hostile.mutatedOneOf(STREAMS.get(), 4);
  }

  @Provide
  Arbitrary<byte[]> mutatedBody() {
    return Hostile.mutatedOneOf(BODIES.get(), 4);
  }

  @Provide
  Arbitrary<String> sseSoup() {
    return Hostile.tokenSoup(80);
  }

  @Provide
  Arbitrary<List<Integer>> reads() {
    return Hostile.readSizes(48);
  }

  // ---- the stream path -----------------------------------------------------------------------------

  @Example
  void theRecordedStreamsAreFoundAndDecodeCleanly() {
    assertThat(STREAMS.get().size()).as("recorded streams").isGreaterThan(5);
    for (byte[] s : STREAMS.get()) {
      Decoded d = decode(s);
      assertThat(d.error).as("decoding a recorded stream").isNull();
      assertThat(d.events).last().isInstanceOf(ChatEvent.Finish.class);
    }
  }

  @Property(tries = 300)
  void randomBytesFailOnlyTyped(@ForAll @Size(max = 4096) byte[] bytes) {
    assertTypedFailure(decode(bytes).error);
  }

  @Property(tries = 800)
  void sseShapedGarbageFailsOnlyTyped(@ForAll("sseSoup") String soup) {
    assertTypedFailure(decode(soup.getBytes(StandardCharsets.UTF_8)).error);
  }

  @Property(tries = 800)
  void mutatedRecordedStreamsFailOnlyTyped(@ForAll("mutatedStream") byte[] body) {
    Decoded d = decode(body);
    assertTypedFailure(d.error);
    if (d.error == null) assertThat(d.events).last().isInstanceOf(ChatEvent.Finish.class);
  }

  @Property(tries = 200)
  void anySplitOfARecordedStreamGivesTheSameEvents(@ForAll("recordedStream") byte[] body, @ForAll("reads") List<Integer> reads) {
    Decoded whole = decode(body);
    Decoded split = decode(Hostile.split(body, reads));
    assertThat(split.events).isEqualTo(whole.events);
    assertThat(split.error).isNull();
  }

  @Property(tries = 200)
  void anySplitOfAMutatedStreamGivesTheSameOutcome(@ForAll("mutatedStream") byte[] body, @ForAll("reads") List<Integer> reads) {
    Decoded whole = decode(body);
    Decoded split = decode(Hostile.split(body, reads));
    assertThat(split.events).isEqualTo(whole.events);
    assertThat(split.error == null ? null : split.error.kind()).isEqualTo(whole.error == null ? null : whole.error.kind());
  }

  // ---- the JSON codec ------------------------------------------------------------------------------

  void decodeChat(byte[] body) {
    try {
      codec.decodeResponse(body, CTX, List.of(KEY), ExtraFields.NONE).servedBy(TARGET).build();
    } catch (SwitchboardException e) {
      if (e.kind() != ErrorKind.PROTOCOL) {
        assertThat(e.detail()).as("non-PROTOCOL only for an error object the body carried: %s", e).startsWith("error inside the stream: ");
      }
      assertThat(e.getMessage()).doesNotContain(KEY.reveal());
    }
  }

  @Property(tries = 300)
  void chatBodiesOfRandomBytesFailOnlyTyped(@ForAll @Size(max = 2048) byte[] bytes) {
    decodeChat(bytes);
  }

  @Property(tries = 600)
  void chatBodiesOfTokenSoupFailOnlyTyped(@ForAll("sseSoup") String soup) {
    decodeChat(soup.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 800)
  void mutatedRecordedChatBodiesFailOnlyTyped(@ForAll("mutatedBody") byte[] body) {
    decodeChat(body);
  }

  @Property(tries = 400)
  void embeddingsBodiesFailOnlyWithProtocol(@ForAll("sseSoup") String soup, @ForAll @IntRange(min = 1, max = 4) int expected) {
    try {
      codec.decodeEmbeddings(soup.getBytes(StandardCharsets.UTF_8), expected, CTX);
    } catch (SwitchboardException e) {
      assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    }
  }

  @Property(tries = 200)
  void anErrorResponseAlwaysBecomesATypedErrorWithABoundedSecretFreeMessage(
      @ForAll @IntRange(min = 100, max = 599) int status, @ForAll("mutatedBody") byte[] body, @ForAll("sseSoup") String retryAfter) {
    byte[] withKey = (new String(body, StandardCharsets.UTF_8) + " " + KEY.reveal()).getBytes(StandardCharsets.UTF_8);
    Headers headers = new Headers.Builder().addUnsafeNonAscii("retry-after", retryAfter.replace('\n', ' ').replace('\r', ' '))
        .add("x-request-id", "req_1").build();
    SwitchboardException e = codec.httpError(status, headers, withKey, CTX, List.of(KEY));
    assertThat(e.kind()).isNotNull();
    assertThat(e.getMessage()).doesNotContain(KEY.reveal());
    assertThat(e.detail().length()).as("error detail stays short").isLessThan(600);
    e.retryAfter().ifPresent(d -> assertThat(d.isNegative()).isFalse());
  }
}
