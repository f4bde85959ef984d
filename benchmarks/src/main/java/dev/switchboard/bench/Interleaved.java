package dev.switchboard.bench;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.bench.baseline.RawClient;
import dev.switchboard.bench.stub.StubProcess;
import dev.switchboard.internal.Json;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The budget's ratios measured robustly on a shared machine: the end-to-end variants of one
 * provider run in alternating half-second slices in one JVM (after a warm-up), and each
 * variant's CPU time and allocation per call is compared with the first variant's in the same
 * round. Load from other processes shifts both sides of a pair alike, so the median of the
 * paired ratios is far steadier than two JMH runs minutes apart. Single caller only.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.Interleaved \
 *     openai 30 chat-raw chat-raw-async chat-switchboard
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.Interleaved \
 *     bedrock 30 stream-raw stream-switchboard stream-listener
 * </pre>
 * Variants: {@code chat-raw}, {@code chat-raw-async}, {@code chat-switchboard}, {@code stream-raw},
 * {@code stream-switchboard} (iterating), {@code stream-listener}. CPU is the whole process's
 * (all threads); allocation is every thread's ({@code getTotalThreadAllocatedBytes}); the stub
 * runs in another process.
 */
public final class Interleaved {
  private static final long SLICE_NANOS = Long.getLong("slice.millis", 500) * 1_000_000L;
  private static final long WARMUP_NANOS = Long.getLong("warmup.seconds", 30) * 1_000_000_000L;

  private final String provider;
  private final Switchboard switchboard;
  private final RawClient raw;
  private final ChatRequest request;
  private long sink;

  private Interleaved(String provider, Switchboard switchboard, RawClient raw) {
    this.provider = provider;
    this.switchboard = switchboard;
    this.raw = raw;
    this.request = Payloads.request(provider);
  }

  private void run(String variant) {
    switch (variant) {
      case "chat-raw" -> sink += rawChat().text().length();
      case "chat-raw-async" -> sink += raw.chatAsync(provider, request).text().length();
      case "chat-switchboard" -> sink += switchboard.chat(request).text().length();
      case "stream-raw" -> sink += rawStream();
      case "stream-switchboard" -> {
        try (ChatStream s = switchboard.stream(request)) {
          for (ChatEvent e : s) sink++;
        }
      }
      case "stream-listener" -> sink += listen().text().length();
      default -> throw new IllegalArgumentException("unknown variant " + variant);
    }
  }

  private ChatResponse rawChat() {
    return switch (provider) {
      case "openai" -> raw.openAiChat(request);
      case "azure" -> raw.azureChat(request);
      default -> raw.bedrockChat(request, Payloads.BEDROCK_MODEL);
    };
  }

  private int rawStream() {
    return switch (provider) {
      case "openai" -> raw.openAiStream(request, t -> sink++);
      case "azure" -> raw.azureStream(request, t -> sink++);
      default -> raw.bedrockStream(request, Payloads.BEDROCK_MODEL, t -> sink++);
    };
  }

  private ChatResponse listen() {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    try (ChatStream s = switchboard.stream(request)) {
      s.listen(new ChatStreamListener() {
        @Override
        public void onEvent(ChatEvent event) {
          sink++;
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
      return done.join();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: Interleaved <openai|azure|bedrock> <rounds> <variant> <variant>...");
      System.exit(2);
    }
    String provider = args[0];
    int rounds = Integer.parseInt(args[1]);
    List<String> variants = List.of(Arrays.copyOfRange(args, 2, args.length));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (StubProcess stub = StubProcess.start(0);
        Switchboard sb = Clients.switchboard(stub.baseUrl()).build();
        RawClient raw = new RawClient(stub.baseUrl(), Json.newMapper())) {
      Interleaved bench = new Interleaved(provider, sb, raw);
      long warmEnd = System.nanoTime() + WARMUP_NANOS;
      while (System.nanoTime() < warmEnd) {
        for (String v : variants) bench.run(v);
      }
      Map<String, double[]> cpu = new LinkedHashMap<>();
      Map<String, double[]> alloc = new LinkedHashMap<>();
      for (String v : variants) {
        cpu.put(v, new double[rounds]);
        alloc.put(v, new double[rounds]);
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < variants.size(); i++) {
          String v = variants.get((i + r) % variants.size()); // rotate the order each round
          long cpu0 = os.getProcessCpuTime();
          long alloc0 = threads.getTotalThreadAllocatedBytes();
          long n = 0;
          long end = System.nanoTime() + SLICE_NANOS;
          while (System.nanoTime() < end) {
            bench.run(v);
            n++;
          }
          cpu.get(v)[r] = (os.getProcessCpuTime() - cpu0) / 1000.0 / n;
          alloc.get(v)[r] = (threads.getTotalThreadAllocatedBytes() - alloc0) / (double) n;
        }
      }
      String base = variants.get(0);
      System.out.printf(Locale.ROOT, "%s, %d rounds of %d ms, %d cores, load average %.1f; ratios against %s%n",
          provider, rounds, SLICE_NANOS / 1_000_000, Runtime.getRuntime().availableProcessors(),
          os.getSystemLoadAverage(), base);
      for (String v : variants) {
        double[] ratio = new double[rounds];
        double[] allocRatio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = cpu.get(v)[r] / cpu.get(base)[r];
          allocRatio[r] = alloc.get(v)[r] / alloc.get(base)[r];
        }
        System.out.printf(Locale.ROOT,
            "%-20s CPU %9.1f us/call (median)  alloc %9.0f B/call  CPU ratio %.3f [%.3f..%.3f]  alloc ratio %.3f%n",
            v, median(cpu.get(v)), median(alloc.get(v)), median(ratio), min(ratio), max(ratio), median(allocRatio));
      }
      if (bench.sink == 42) System.out.println(); // keep the work observable
    }
  }

  private static double median(double[] x) {
    double[] c = x.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static double min(double[] x) {
    return Arrays.stream(x).min().orElse(Double.NaN);
  }

  private static double max(double[] x) {
    return Arrays.stream(x).max().orElse(Double.NaN);
  }
}
