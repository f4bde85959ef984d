package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatEvent;
import dev.switchboard.aws.BedrockCodecAccess;
import dev.switchboard.azure.AzureCodecAccess;
import dev.switchboard.bench.baseline.TreeCodec;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.SseEvent;
import dev.switchboard.http.SseReader;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.ExtraFields;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.OpenAiStreamDecoder;
import dev.switchboard.spi.ResponseMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okio.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Decoding a whole 200-chunk stream held in memory, reported per chunk (or frame): Switchboard's
 * stream decoders turning bytes into {@link ChatEvent}s, against raw baselines — SSE split into
 * lines with one Jackson tree per chunk, and for Bedrock the AWS SDK's event-stream decoder alone
 * and the same decoder plus one Jackson tree per frame. Every variant reads from an okio
 * {@link Buffer} filled with the same bytes, as a network read would leave them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(Payloads.STREAM_EVENTS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamParseBenchmark {
  private static final int MAX_LINE = 1024 * 1024;

  private OpenAiCodec codec;
  private ErrorContext errors;
  private TreeCodec tree;
  private BedrockCodecAccess bedrock;
  private byte[] openAiSse;
  private byte[] azureSse;
  private byte[] bedrockStream;

  @Setup
  public void setup() {
    ObjectMapper mapper = ProviderTestKit.newObjectMapper();
    codec = new OpenAiCodec(mapper, Clock.systemUTC());
    errors = new ErrorContext("openai", "bench");
    tree = new TreeCodec(mapper);
    bedrock = new BedrockCodecAccess(mapper, "bedrock-bench");
    openAiSse = Payloads.openAiSse();
    azureSse = Payloads.azureSse();
    bedrockStream = Payloads.bedrockEventStream();
  }

  private static Buffer buffer(byte[] bytes) {
    return new Buffer().write(bytes);
  }

  // ---- OpenAI SSE ---------------------------------------------------------------------------------

  @Benchmark
  public ResponseMetadata switchboardOpenAiSse(Blackhole bh) throws IOException {
    return decodeSse(openAiSse, ExtraFields.NONE, bh::consume);
  }

  @Benchmark
  public int rawOpenAiSse(Blackhole bh) throws IOException {
    return rawSse(openAiSse, bh);
  }

  // ---- Azure SSE (OpenAI decoder plus the per-chunk content-filter results) -------------------

  @Benchmark
  public Object switchboardAzureSse(Blackhole bh) throws IOException {
    ExtraFields filters = AzureCodecAccess.newFilters();
    bh.consume(decodeSse(azureSse, filters, bh::consume));
    return AzureCodecAccess.metadata(filters);
  }

  @Benchmark
  public int rawAzureSse(Blackhole bh) throws IOException {
    return rawSse(azureSse, bh);
  }

  ResponseMetadata decodeSse(byte[] bytes, ExtraFields extras, Consumer<ChatEvent> sink) throws IOException {
    OpenAiStreamDecoder decoder = codec.streamDecoder(errors, List.of(), extras);
    SseReader reader = new SseReader(buffer(bytes), MAX_LINE);
    SseEvent event;
    while ((event = reader.next()) != null) {
      decoder.accept(event.event(), event.data(), sink);
      if (decoder.isDone()) break;
    }
    return decoder.finish(sink, Optional.of("req_1"), Optional.empty());
  }

  private int rawSse(byte[] bytes, Blackhole bh) throws IOException {
    Buffer source = buffer(bytes);
    int n = 0;
    String line;
    while ((line = source.readUtf8Line()) != null) {
      if (!line.startsWith("data: ")) continue;
      String data = line.substring(6);
      if (data.equals("[DONE]")) break;
      String text = tree.openAiChunkText(data);
      if (text != null) bh.consume(text);
      n++;
    }
    return n;
  }

  // ---- Bedrock event stream -------------------------------------------------------------------

  @Benchmark
  public ResponseMetadata switchboardBedrockStream(Blackhole bh) throws IOException {
    return bedrock.readStream(buffer(bedrockStream), Payloads.BEDROCK_MODEL, MAX_LINE, bh::consume);
  }

  /** The SDK's event-stream decoder alone: frames with their headers, no JSON. */
  @Benchmark
  public int rawBedrockDecoderOnly(Blackhole bh) {
    int[] n = {0};
    feed(new MessageDecoder(m -> {
      bh.consume(m);
      n[0]++;
    }), buffer(bedrockStream));
    return n[0];
  }

  /** The SDK's decoder plus one Jackson tree per frame payload: the same work as Switchboard's. */
  @Benchmark
  public int rawBedrockDecoderAndJackson(Blackhole bh) {
    int[] n = {0};
    feed(new MessageDecoder(m -> {
      String text = tree.bedrockPayloadText(m.getPayload());
      if (text != null) bh.consume(text);
      n[0]++;
    }), buffer(bedrockStream));
    return n[0];
  }

  private static void feed(MessageDecoder decoder, Buffer source) {
    byte[] chunk = new byte[8192];
    int read;
    while ((read = source.read(chunk, 0, chunk.length)) != -1) decoder.feed(ByteBuffer.wrap(chunk, 0, read));
  }
}
