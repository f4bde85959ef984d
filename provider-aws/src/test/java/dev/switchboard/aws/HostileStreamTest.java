package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.aws.testing.ChunkedSource;
import dev.switchboard.aws.testing.RecordedStreams;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import java.io.EOFException;
import java.net.ProtocolException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;

/**
 * Garbage and mutated recordings through the stream decoding path: the only failures allowed are
 * the typed ones (ProtocolException / EOFException from the framing, SwitchboardException from the
 * mapper), never an unchecked exception, a hang or an unbounded allocation. Seeds are fixed.
 */
class HostileStreamTest {
  static void decodeAll(byte[] body, long seed) throws Exception {
    ConverseStreamMapper mapper = new ConverseStreamMapper(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "fuzz"), Optional.of("json_response"),
        List.of(), null);
    EventStreamReader reader = new EventStreamReader(ChunkedSource.of(body, seed, 64), 64 * 1024);
    Message m;
    while ((m = reader.next()) != null) mapper.accept(m, e -> { });
  }

  static void assertOnlyTypedFailures(byte[] body, long seed) {
    try {
      decodeAll(body, seed);
    } catch (ProtocolException | EOFException expected) {
      // framing errors the provider reports as PROTOCOL
    } catch (SwitchboardException e) {
      assertThat(e.kind()).isIn(ErrorKind.PROTOCOL, ErrorKind.RATE_LIMITED, ErrorKind.UNAVAILABLE, ErrorKind.SERVER_ERROR,
          ErrorKind.INVALID_REQUEST, ErrorKind.QUOTA_EXCEEDED, ErrorKind.TIMEOUT, ErrorKind.PERMISSION, ErrorKind.AUTHENTICATION,
          ErrorKind.NOT_FOUND);
    } catch (Exception e) {
      throw new AssertionError("untyped failure " + e + " for seed " + seed, e);
    }
  }

  @Test
  void randomBytes() {
    Random random = new Random(20260304);
    for (int i = 0; i < 2000; i++) {
      byte[] garbage = new byte[random.nextInt(300)];
      random.nextBytes(garbage);
      assertOnlyTypedFailures(garbage, i);
    }
  }

  @Test
  void mutatedRecordings() {
    Random random = new Random(42);
    for (RecordedStreams.Recorded recorded : RecordedStreams.all()) {
      for (int i = 0; i < 40; i++) {
        byte[] mutated = recorded.body().clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
        if (random.nextBoolean()) mutated = java.util.Arrays.copyOf(mutated, random.nextInt(mutated.length));
        assertOnlyTypedFailures(mutated, i);
      }
    }
  }

  /** Frames with valid CRCs but hostile JSON payloads: the mapper rejects them typed. */
  @Test
  void validFramesWithHostilePayloads() {
    String[] payloads = {"", "null", "[]", "\"x\"", "{\"contentBlockIndex\":-1,\"delta\":{\"text\":\"x\"}}",
        "{\"contentBlockIndex\":\"a\"}", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"x\"}}}",
        "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{}}}", "{" + "\"a\":{".repeat(500) + "}".repeat(501), "{\"stopReason\":5}"};
    String[] types = {"contentBlockDelta", "contentBlockStart", "contentBlockStop", "messageStop", "metadata", "messageStart", "somethingNew"};
    int seed = 0;
    for (String type : types) {
      for (String payload : payloads) {
        assertOnlyTypedFailures(dev.switchboard.aws.testing.Frames.create().event(type, payload).bytes(), seed++);
      }
    }
  }
}
