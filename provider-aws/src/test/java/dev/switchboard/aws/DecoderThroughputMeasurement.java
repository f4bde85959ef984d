package dev.switchboard.aws;

import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import okio.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * A rough throughput figure for the stream hot path, run only with {@code -Dswitchboard.measure=true}
 * (the JMH benchmark of the performance issue is the real measurement). It asserts nothing about time.
 */
class DecoderThroughputMeasurement {
  @Test
  void measure() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("switchboard.measure"), "set -Dswitchboard.measure=true to run");
    byte[] one = Fixtures.bytes("bedrock/newrelic/converse-stream-212F-to-C.eventstream.bin");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) all.write(one);
    byte[] body = all.toByteArray();
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      int[] n = {0};
      new MessageDecoder(m -> n[0]++).feed(body);
      long t1 = System.nanoTime();
      EventStreamReader reader = new EventStreamReader(new Buffer().write(body), 1 << 20);
      int frames = 0;
      while (reader.next() != null) frames++;
      long t2 = System.nanoTime();
      ConverseStreamMapper mapper = new ConverseStreamMapper(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "m"), Optional.empty(), List.of(), null);
      EventStreamReader reader2 = new EventStreamReader(new Buffer().write(body), 1 << 20);
      int[] events = {0};
      Message m;
      while ((m = reader2.next()) != null) mapper.accept(m, e -> events[0]++);
      long t3 = System.nanoTime();
      System.out.printf("round %d: %d bytes, %d frames; SDK MessageDecoder %.0f MB/s; EventStreamReader %.0f MB/s;"
              + " reader+mapper %.0f MB/s (%d events, %.2f us/frame)%n", round, body.length, frames,
          mb(body.length, t1 - t0), mb(body.length, t2 - t1), mb(body.length, t3 - t2), events[0], (t3 - t2) / 1000.0 / frames);
      if (n[0] != frames) throw new AssertionError(n[0] + " != " + frames);
    }
  }

  private static double mb(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }
}
