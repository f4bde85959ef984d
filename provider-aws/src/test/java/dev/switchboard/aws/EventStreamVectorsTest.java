package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.aws.testing.ChunkedSource;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import okio.Buffer;
import okio.BufferedSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** The shared AWS event-stream vectors (aws-sdk-go, smithy-rs) through {@link EventStreamReader}. */
class EventStreamVectorsTest {
  static final String GO = "aws-eventstream/aws-sdk-go/testdata/";
  static final String SMITHY = "aws-eventstream/smithy-rs/test_data/";

  static Message readOne(BufferedSource source) throws IOException {
    EventStreamReader reader = new EventStreamReader(source, 1024 * 1024);
    Message m = reader.next();
    assertThat(m).isNotNull();
    assertThat(reader.next()).as("nothing after the single frame").isNull();
    return m;
  }

  static Stream<String> goPositive() {
    return Stream.of("all_headers", "empty_message", "int32_header", "payload_no_headers", "payload_one_str_header");
  }

  @ParameterizedTest
  @MethodSource("goPositive")
  void goPositiveVectorsDecodeToTheDocumentedHeadersAndPayload(String name) throws IOException {
    byte[] encoded = Fixtures.bytes(GO + "encoded/positive/" + name);
    JsonNode expected = ProviderTestKit.objectMapper().readTree(Fixtures.text(GO + "decoded/positive/" + name));
    assertThat(encoded.length).isEqualTo(expected.get("total_length").asInt());
    for (int maxChunk : new int[] {1, 2, 3, 7, 64, 4096}) {
      Message m = readOne(ChunkedSource.of(encoded, maxChunk, maxChunk));
      assertThat(m.getPayload()).isEqualTo(Base64.getDecoder().decode(expected.get("payload").asText()));
      Map<String, HeaderValue> headers = m.getHeaders();
      assertThat(headers).hasSize(expected.get("headers").size());
      for (JsonNode h : expected.get("headers")) {
        HeaderValue v = headers.get(h.get("name").asText());
        assertThat(v).as("header %s", h.get("name")).isNotNull();
        JsonNode value = h.get("value");
        switch (h.get("type").asInt()) {
          case 0, 1 -> assertThat(v.getBoolean()).isEqualTo(value.asBoolean());
          case 2 -> assertThat(v.getByte()).isEqualTo((byte) value.asInt());
          case 3 -> assertThat(v.getShort()).isEqualTo((short) value.asInt());
          case 4 -> assertThat(v.getInteger()).isEqualTo(value.asInt());
          case 5 -> assertThat(v.getLong()).isEqualTo(value.asLong());
          case 6 -> assertThat(v.getByteArray()).isEqualTo(Base64.getDecoder().decode(value.asText()));
          case 7 -> assertThat(v.getString()).isEqualTo(new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8));
          case 8 -> assertThat(v.getTimestamp().toEpochMilli()).isEqualTo(value.asLong());
          case 9 -> {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(value.asText()));
            assertThat(v.getUuid()).isEqualTo(new UUID(b.getLong(), b.getLong()));
          }
          default -> throw new AssertionError("unknown type " + h.get("type"));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"corrupted_header_len", "corrupted_headers", "corrupted_length", "corrupted_payload"})
  void goNegativeVectorsAreProtocolErrors(String name) {
    byte[] encoded = Fixtures.bytes(GO + "encoded/negative/" + name);
    String expected = Fixtures.text(GO + "decoded/negative/" + name).trim(); // "Prelude checksum mismatch" or "Message checksum mismatch"
    assertThatThrownBy(() -> readOne(ChunkedSource.of(encoded, 1, 5)))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(e.getMessage().toLowerCase()).contains(expected.startsWith("Prelude") ? "prelude" : "checksum"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"valid_empty_payload", "valid_no_headers", "valid_with_all_headers_and_payload"})
  void smithyValidFramesDecode(String name) throws IOException {
    Message m = readOne(ChunkedSource.of(Fixtures.bytes(SMITHY + name), 3, 3));
    if (name.equals("valid_with_all_headers_and_payload")) {
      Map<String, HeaderValue> h = m.getHeaders();
      assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("some payload");
      assertThat(h.get("true").getBoolean()).isTrue();
      assertThat(h.get("false").getBoolean()).isFalse();
      assertThat(h.get("byte").getByte()).isEqualTo((byte) 50);
      assertThat(h.get("short").getShort()).isEqualTo((short) 20000);
      assertThat(h.get("int").getInteger()).isEqualTo(500000);
      assertThat(h.get("long").getLong()).isEqualTo(50000000000L);
      assertThat(h.get("bytes").getByteArray()).isEqualTo("some bytes".getBytes(StandardCharsets.UTF_8));
      assertThat(h.get("str").getString()).isEqualTo("some str");
      assertThat(h.get("time").getTimestamp().getEpochSecond()).isEqualTo(5_000_000L);
      assertThat(h.get("uuid").getUuid()).isEqualTo(UUID.fromString("b79bc914-de21-4e13-b8b2-bc47e85b7f0b"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_header_name_length", "invalid_header_name_length_too_long", "invalid_header_string_length_cut_off",
      "invalid_header_string_value_length", "invalid_header_value_type", "invalid_headers_length", "invalid_message_checksum",
      "invalid_prelude_checksum"})
  void smithyInvalidFramesAreProtocolErrors(String name) {
    byte[] frame = Fixtures.bytes(SMITHY + name); // outside the lambda: a skip must not become the "thrown" exception
    assertThatThrownBy(() -> readOne(ChunkedSource.of(frame, 2, 2))).isInstanceOf(ProtocolException.class);
  }

  @Test
  void aFrameLongerThanTheLimitIsRejectedBeforeItIsBuffered() {
    EventStreamReader reader = new EventStreamReader(prelude(64 * 1024 * 1024, 0), 1024 * 1024); // no body follows at all
    assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds the limit of 1048576");
    assertThatThrownBy(() -> new EventStreamReader(prelude(0x80000000, 0), Integer.MAX_VALUE).next())
        .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds the limit");
    assertThatThrownBy(() -> new EventStreamReader(prelude(100, 90), 1024 * 1024).next())
        .isInstanceOf(ProtocolException.class).hasMessageContaining("headers length");
    assertThatThrownBy(() -> new EventStreamReader(new Buffer().writeInt(100).writeInt(0).writeInt(0), 1024 * 1024).next())
        .isInstanceOf(ProtocolException.class).hasMessageContaining("prelude checksum");
    Buffer tiny = prelude(8, 0).writeInt(0);
    assertThatThrownBy(() -> new EventStreamReader(tiny, 1024 * 1024).next()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("below the minimum");
  }

  /** A prelude with a correct CRC. */
  static Buffer prelude(int total, int headers) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ByteBuffer.allocate(8).putInt(total).putInt(headers).array());
    return new Buffer().writeInt(total).writeInt(headers).writeInt((int) crc.getValue());
  }

  @Test
  void aStreamCutInsideAFrameIsAnEofNotACleanEnd() throws IOException {
    byte[] frame = Fixtures.bytes(GO + "encoded/positive/all_headers");
    for (int cut : List.of(1, 3, 4, 11, 12, frame.length - 1)) {
      byte[] partial = java.util.Arrays.copyOf(frame, cut);
      assertThatThrownBy(() -> new EventStreamReader(ChunkedSource.of(partial, cut, 2), 1 << 20).next())
          .as("cut at %d", cut).isInstanceOf(EOFException.class);
    }
    assertThat(new EventStreamReader(new Buffer(), 1 << 20).next()).as("empty stream ends cleanly").isNull();
  }
}
