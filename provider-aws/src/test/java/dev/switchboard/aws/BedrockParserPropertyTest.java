package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.aws.testing.RecordedStreams;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import dev.switchboard.testkit.fuzz.Hostile;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import okhttp3.Headers;
import okio.Buffer;
import okio.BufferedSource;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Property tests of the Bedrock wire parsers on hostile input: the event-stream reader with the
 * ConverseStream mapper (driven as {@link ConverseStreamCall} drives them), the Converse response
 * reader and the error classifier. On garbage the only failures allowed are the typed ones —
 * a framing error (reported as PROTOCOL), a PROTOCOL {@link SwitchboardException}, or the kind an
 * exception frame names — never another exception, a hang or an unbounded allocation. Garbage
 * comes three ways: random bytes (caught by the prelude CRC), raw mutations of recorded streams,
 * and mutations re-framed with valid CRCs so they reach the JSON and the mapper.
 */
class BedrockParserPropertyTest {
  static final ErrorContext CTX = new ErrorContext("bedrock", "fuzz");
  static final int MAX_FRAME = 256 * 1024;
  static final Secret KEY = Secret.of("bedrockFuzzSecretKey/0123456789");
  static final List<String> EVENT_TYPES = List.of("messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop",
      "messageStop", "metadata", "somethingNew");

  record Decoded(List<ChatEvent> events, SwitchboardException error, boolean finished) {}

  /** Reads {@code source} as ConverseStreamCall.read does, mapping framing failures to PROTOCOL the same way. */
  static Decoded decode(BufferedSource source) {
    ConverseStreamMapper mapper = new ConverseStreamMapper(ProviderTestKit.objectMapper(), CTX, Optional.of("json_response"), List.of(KEY), "req-1");
    EventStreamReader reader = new EventStreamReader(source, MAX_FRAME);
    List<ChatEvent> events = new ArrayList<>();
    try {
      Message frame;
      while ((frame = reader.next()) != null) mapper.accept(frame, events::add);
      return new Decoded(events, null, mapper.finished());
    } catch (EOFException | ProtocolException e) {
      return new Decoded(events, CTX.error(ErrorKind.PROTOCOL, "framing: " + e.getMessage()).build(), false);
    } catch (SwitchboardException e) {
      return new Decoded(events, e, false);
    } catch (IOException e) {
      throw new AssertionError("an in-memory source cannot fail with I/O", e);
    }
  }

  static Decoded decode(byte[] body) {
    return decode(new Buffer().write(body));
  }

  /** PROTOCOL, or the kind of an exception or error frame the stream carried. */
  static void assertTyped(SwitchboardException e) {
    if (e == null) return;
    if (e.kind() != ErrorKind.PROTOCOL) {
      assertThat(e.detail()).as("non-PROTOCOL only from an exception/error frame: %s", e).startsWith("in-stream ");
    }
    assertThat(e.getMessage()).doesNotContain(KEY.reveal());
  }

  // ---- inputs ------------------------------------------------------------------------------------

  static final Supplier<List<byte[]>> STREAMS =
      Fixtures.lazy(() -> RecordedStreams.all().stream().map(RecordedStreams.Recorded::body).toList());

  static final Supplier<List<Message>> FRAMES = Fixtures.lazy(() -> frames());

  static List<Message> frames() {
    List<Message> out = new ArrayList<>();
    for (byte[] s : STREAMS.get()) new MessageDecoder(out::add).feed(s);
    return out;
  }

  static final Supplier<List<byte[]>> CONVERSE_BODIES = Fixtures.lazy(() -> converseBodies());

  static List<byte[]> converseBodies() {
    List<byte[]> out = new ArrayList<>();
    for (Path file : Cassette.list(Fixtures.path("bedrock/pydantic-ai"))) {
      for (Interaction i : Cassette.load(file).interactions()) {
        if (i.request().path().endsWith("/converse") && i.response().json().isPresent()) out.add(i.response().decodedBody());
      }
    }
    return out;
  }

  static byte[] encode(Map<String, HeaderValue> headers, byte[] payload) {
    ByteBuffer b = new Message(headers, payload).toByteBuffer();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  /** A recorded frame whose payload (and maybe event or message type) is mutated, re-framed with valid CRCs. */
  @Provide
  Arbitrary<byte[]> reframed() {
    Arbitrary<Message> frame = Arbitraries.of(FRAMES.get());
    return Combinators.combine(frame, Hostile.mutation().list().ofMaxSize(3), Arbitraries.of(EVENT_TYPES).injectNull(0.6),
            Arbitraries.of("event", "exception", "error", "bogus").injectNull(0.8))
        .as((m, mutations, eventType, messageType) -> {
          byte[] payload = m.getPayload();
          for (Hostile.Mutation mu : mutations) payload = mu.apply(payload);
          Map<String, HeaderValue> headers = new LinkedHashMap<>(m.getHeaders());
          if (eventType != null) headers.put(":event-type", HeaderValue.fromString(eventType));
          if (messageType != null) headers.put(":message-type", HeaderValue.fromString(messageType));
          return encode(headers, payload);
        });
  }

  /** A short stream: a recorded prefix of frames, then re-framed hostile ones. */
  @Provide
  Arbitrary<byte[]> reframedStream() {
    return reframed().list().ofMinSize(1).ofMaxSize(6).map(frames -> {
      Buffer b = new Buffer();
      frames.forEach(b::write);
      return b.readByteArray();
    });
  }

  @Provide
  Arbitrary<byte[]> payloadSoup() {
    return Combinators.combine(Arbitraries.of(EVENT_TYPES), Hostile.tokenSoup(60)).as((type, soup) -> {
      Map<String, HeaderValue> h = new LinkedHashMap<>();
      h.put(":event-type", HeaderValue.fromString(type));
      h.put(":content-type", HeaderValue.fromString("application/json"));
      h.put(":message-type", HeaderValue.fromString("event"));
      return encode(h, soup.getBytes(StandardCharsets.UTF_8));
    });
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
  Arbitrary<byte[]> mutatedConverse() {
    return Hostile.mutatedOneOf(CONVERSE_BODIES.get(), 4);
  }

  @Provide
  Arbitrary<String> soup() {
    return Hostile.tokenSoup(80);
  }

  @Provide
  Arbitrary<List<Integer>> reads() {
    return Hostile.readSizes(64);
  }

  // ---- the stream path -----------------------------------------------------------------------------

  @Example
  void theRecordingsAreFound() {
    assertThat(STREAMS.get().size()).as("recorded streams").isGreaterThan(5);
    assertThat(FRAMES.get().size()).as("recorded frames").isGreaterThan(50);
    assertThat(CONVERSE_BODIES.get().size()).as("recorded Converse bodies").isGreaterThan(10);
  }

  @Property(tries = 300)
  void randomBytesFailOnlyTyped(@ForAll @Size(max = 4096) byte[] bytes) {
    assertTyped(decode(bytes).error);
  }

  @Property(tries = 600)
  void mutatedRecordedStreamsFailOnlyTyped(@ForAll("mutatedStream") byte[] body) {
    assertTyped(decode(body).error);
  }

  @Property(tries = 1000)
  void reframedMutationsReachTheMapperAndFailOnlyTyped(@ForAll("reframedStream") byte[] body) {
    assertTyped(decode(body).error);
  }

  @Property(tries = 600)
  void framesOfTokenSoupFailOnlyTyped(@ForAll("payloadSoup") byte[] frame) {
    assertTyped(decode(frame).error);
  }

  @Property(tries = 200)
  void anySplitOfARecordedStreamGivesTheSameEvents(@ForAll("recordedStream") byte[] body, @ForAll("reads") List<Integer> reads) {
    Decoded whole = decode(body);
    Decoded split = decode(Hostile.split(body, reads));
    assertThat(whole.error).isNull();
    assertThat(split.error).isNull();
    assertThat(split.events).isEqualTo(whole.events);
    assertThat(split.finished).isEqualTo(whole.finished);
  }

  @Property(tries = 200)
  void anySplitOfAMutatedStreamGivesTheSameOutcome(@ForAll("mutatedStream") byte[] body, @ForAll("reads") List<Integer> reads) {
    Decoded whole = decode(body);
    Decoded split = decode(Hostile.split(body, reads));
    assertThat(split.events).isEqualTo(whole.events);
    assertThat(split.error == null ? null : split.error.kind()).isEqualTo(whole.error == null ? null : whole.error.kind());
  }

  // ---- Converse bodies and errors ------------------------------------------------------------------

  static void readConverse(byte[] body) {
    try {
      new ConverseResponseReader(ProviderTestKit.objectMapper(), CTX).read(body, new TargetRef("fuzz", "bedrock", "m"), Optional.empty(), "req-1");
    } catch (SwitchboardException e) {
      assertThat(e.kind()).as("%s", e).isEqualTo(ErrorKind.PROTOCOL);
    }
  }

  @Property(tries = 300)
  void converseBodiesOfRandomBytesFailOnlyWithProtocol(@ForAll @Size(max = 2048) byte[] bytes) {
    readConverse(bytes);
  }

  @Property(tries = 600)
  void converseBodiesOfTokenSoupFailOnlyWithProtocol(@ForAll("soup") String soup) {
    readConverse(soup.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 800)
  void mutatedRecordedConverseBodiesFailOnlyWithProtocol(@ForAll("mutatedConverse") byte[] body) {
    readConverse(body);
  }

  @Property(tries = 200)
  void anErrorResponseAlwaysBecomesATypedErrorWithABoundedSecretFreeMessage(
      @ForAll @IntRange(min = 100, max = 599) int status, @ForAll("mutatedConverse") byte[] body, @ForAll("soup") String errorType) {
    byte[] withKey = (new String(body, StandardCharsets.UTF_8) + " " + KEY.reveal()).getBytes(StandardCharsets.UTF_8);
    Headers headers = new Headers.Builder().addUnsafeNonAscii("x-amzn-ErrorType", errorType.replace('\n', ' ').replace('\r', ' '))
        .add("x-amzn-RequestId", "req-1").build();
    SwitchboardException e = BedrockErrors.fromResponse(status, headers, withKey, ProviderTestKit.objectMapper(), CTX, List.of(KEY), Clock.systemUTC());
    assertThat(e.kind()).isNotNull();
    assertThat(e.getMessage()).doesNotContain(KEY.reveal());
    assertThat(e.detail().length()).as("detail stays short").isLessThan(800);
    for (java.util.Optional<String> field : List.of(e.providerMessage(), e.providerCode(), e.providerType(), e.providerInnerCode())) {
      assertThat(field.orElse("")).doesNotContain(KEY.reveal()).hasSizeLessThanOrEqualTo(dev.switchboard.http.HttpErrors.MESSAGE_CHARS + 1);
    }
  }
}
