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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Property tests of the Responses API decoders on hostile input, as {@link OpenAiParserPropertyTest}
 * does for Chat Completions: random bytes, token soups and mutated recordings (the 200 bodies and
 * streams in {@code ../shared/fixtures/openai-responses}) fail only with a typed
 * {@link SwitchboardException} (PROTOCOL, or the classification of an error or failed response
 * the garbage happens to carry), never another exception; any split of a recorded stream into
 * reads gives the events of the whole.
 */
class ResponsesParserPropertyTest {
  static final ErrorContext CTX = new ErrorContext("openai", "fuzz");
  static final Secret KEY = Secret.of("sk-fuzz-0123456789abcdef");
  static final TargetRef TARGET = new TargetRef("fuzz", "openai", "gpt-5");
  final ResponsesWire wire = new ResponsesWire(ProviderTestKit.objectMapper());

  record Decoded(List<ChatEvent> events, SwitchboardException error) {}

  Decoded decode(BufferedSource source) {
    List<ChatEvent> events = new ArrayList<>();
    SseDecoder decoder = wire.streamDecoder(CTX, List.of(KEY), ExtraFields.NONE);
    SseReader reader = new SseReader(source, 256 * 1024);
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

  /** PROTOCOL, or what the server said: an error object, or a response it marked failed or cancelled. */
  static void assertTypedFailure(SwitchboardException e) {
    if (e == null) return;
    if (e.kind() != ErrorKind.PROTOCOL) {
      assertThat(e.detail()).as("a non-PROTOCOL failure must be what the server sent: %s", e)
          .matches(d -> d.startsWith("error inside the stream: ") || d.startsWith("the response failed")
              || d.startsWith("the response was cancelled"));
    }
    assertThat(e.provider()).contains("openai");
    assertThat(e.getMessage()).doesNotContain(KEY.reveal());
  }

  static final Supplier<List<byte[]>> STREAMS = Fixtures.lazy(() -> recorded(true));
  static final Supplier<List<byte[]>> BODIES = Fixtures.lazy(() -> recorded(false));

  static List<byte[]> recorded(boolean streams) {
    List<byte[]> out = new ArrayList<>();
    for (Path file : Cassette.list(Fixtures.path("openai-responses/pydantic-ai"))) {
      for (Interaction i : Cassette.load(file).interactions()) {
        if (!ResponsesCassetteReplayTest.isCreate(i) || i.response().status() != 200) continue;
        boolean sse = i.response().contentType().filter(t -> t.contains("event-stream")).isPresent();
        if (sse == streams) out.add(i.response().decodedBody());
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
  Arbitrary<String> soup() {
    return Hostile.tokenSoup(80);
  }

  @Provide
  Arbitrary<List<Integer>> reads() {
    return Hostile.readSizes(48);
  }

  @Example
  void theRecordedStreamsAreFound() {
    assertThat(STREAMS.get().size()).as("recorded Responses streams").isGreaterThanOrEqualTo(10);
    assertThat(BODIES.get().size()).as("recorded Responses bodies").isGreaterThan(50);
  }

  @Property(tries = 300)
  void randomBytesFailOnlyTyped(@ForAll @Size(max = 4096) byte[] bytes) {
    assertTypedFailure(decode(bytes).error);
  }

  @Property(tries = 600)
  void sseShapedGarbageFailsOnlyTyped(@ForAll("soup") String soup) {
    assertTypedFailure(decode(soup.getBytes(StandardCharsets.UTF_8)).error);
  }

  @Property(tries = 600)
  void mutatedRecordedStreamsFailOnlyTyped(@ForAll("mutatedStream") byte[] body) {
    Decoded d = decode(body);
    assertTypedFailure(d.error);
    if (d.error == null) assertThat(d.events).last().isInstanceOf(ChatEvent.Finish.class);
  }

  @Property(tries = 150)
  void anySplitOfARecordedStreamGivesTheSameEvents(@ForAll("recordedStream") byte[] body, @ForAll("reads") List<Integer> reads) {
    Decoded whole = decode(body);
    Decoded split = decode(Hostile.split(body, reads));
    assertThat(split.events).isEqualTo(whole.events);
    assertThat(split.error == null ? null : split.error.kind()).isEqualTo(whole.error == null ? null : whole.error.kind());
  }

  void decodeBody(byte[] body) {
    try {
      wire.decodeResponse(body, CTX, List.of(KEY), ExtraFields.NONE).servedBy(TARGET).build();
    } catch (SwitchboardException e) {
      assertTypedFailure(e);
    }
  }

  @Property(tries = 300)
  void bodiesOfRandomBytesFailOnlyTyped(@ForAll @Size(max = 2048) byte[] bytes) {
    decodeBody(bytes);
  }

  @Property(tries = 600)
  void bodiesOfTokenSoupFailOnlyTyped(@ForAll("soup") String soup) {
    decodeBody(soup.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 800)
  void mutatedRecordedBodiesFailOnlyTyped(@ForAll("mutatedBody") byte[] body) {
    decodeBody(body);
  }
}
