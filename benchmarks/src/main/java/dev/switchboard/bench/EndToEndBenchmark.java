package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.bench.baseline.RawClient;
import dev.switchboard.bench.stub.StubProcess;
import dev.switchboard.testing.ProviderTestKit;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Whole calls over loopback HTTP to the benchmark stub (a separate process), Switchboard against a
 * raw OkHttp + Jackson client making the same call ({@link RawClient}), for each provider:
 * non-streamed ({@code chat*}) and streamed 200-chunk answers ({@code stream*}), with one caller
 * ({@code *1}, average time per call) and 32 concurrent callers ({@code *32}, calls per second).
 *
 * <p>Run with {@code -prof dev.switchboard.bench.prof.CpuTimeProfiler -prof gc}: the budget is
 * about CPU time and allocation per call, which those report per operation; divide stream
 * figures by 200 for per-chunk costs (the ratio is the same). Streams are consumed by iterating
 * the {@link ChatStream}, the common way; {@code streamListener1} consumes with a listener on
 * the reading thread instead, which saves the hand-over to the caller's thread. {@code chatRawAsync*}
 * is the raw call made asynchronously, as Switchboard's providers make it: the share of a gap
 * that is the hand-over to OkHttp's dispatcher thread and back rather than Switchboard's work.
 */
@State(Scope.Benchmark)
// Long warm-up: C2 keeps compiling OkHttp, Jackson and Switchboard for ~20 s, and JIT threads count as CPU time.
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(1)
public class EndToEndBenchmark {

  @Param({"openai", "azure", "bedrock"})
  public String provider;

  private StubProcess stub;
  private Switchboard switchboard;
  private RawClient raw;
  private ChatRequest request;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    stub = StubProcess.start(0);
    switchboard = Clients.switchboard(stub.baseUrl()).build();
    ObjectMapper mapper = ProviderTestKit.newObjectMapper();
    raw = new RawClient(stub.baseUrl(), mapper);
    request = Payloads.request(provider);
    // Fail fast if either side would measure an error path.
    Clients.check(switchboardChat(), rawChat());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    switchboard.close();
    raw.close();
    stub.close();
  }

  private ChatResponse switchboardChat() {
    return switchboard.chat(request);
  }

  private ChatResponse rawChat() {
    return switch (provider) {
      case "openai" -> raw.openAiChat(request);
      case "azure" -> raw.azureChat(request);
      default -> raw.bedrockChat(request, Payloads.BEDROCK_MODEL);
    };
  }

  private int switchboardStream(Blackhole bh) {
    int n = 0;
    try (ChatStream s = switchboard.stream(request)) {
      for (ChatEvent e : s) {
        bh.consume(e);
        n++;
      }
    }
    return n;
  }

  private int rawStream(Blackhole bh) {
    return switch (provider) {
      case "openai" -> raw.openAiStream(request, bh::consume);
      case "azure" -> raw.azureStream(request, bh::consume);
      default -> raw.bedrockStream(request, Payloads.BEDROCK_MODEL, bh::consume);
    };
  }

  // ---- one caller: time (and with the profilers, CPU and allocation) per call ---------------------

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public ChatResponse chatSwitchboard1() {
    return switchboardChat();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public ChatResponse chatRaw1() {
    return rawChat();
  }

  /** The raw call made asynchronously (OkHttp's dispatcher, a future): the threading Switchboard's providers use. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public ChatResponse chatRawAsync1() {
    return raw.chatAsync(provider, request);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public int streamSwitchboard1(Blackhole bh) {
    return switchboardStream(bh);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public ChatResponse streamListenerSwitchboard1(Blackhole bh) {
    ChatStream s = switchboard.stream(request);
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    s.listen(new ChatStreamListener() {
      @Override
      public void onEvent(ChatEvent event) {
        bh.consume(event);
      }

      @Override
      public void onComplete(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(SwitchboardException error) {
        done.completeExceptionally(error);
      }
    });
    try (s) {
      return done.join();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public int streamRaw1(Blackhole bh) {
    return rawStream(bh);
  }

  // ---- 32 concurrent callers: calls per second ------------------------------------------------------

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(32)
  public ChatResponse chatSwitchboard32() {
    return switchboardChat();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(32)
  public ChatResponse chatRaw32() {
    return rawChat();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(32)
  public ChatResponse chatRawAsync32() {
    return raw.chatAsync(provider, request);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(32)
  public int streamSwitchboard32(Blackhole bh) {
    return switchboardStream(bh);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(32)
  public int streamRaw32(Blackhole bh) {
    return rawStream(bh);
  }
}
