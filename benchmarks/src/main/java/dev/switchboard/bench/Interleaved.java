package dev.switchboard.bench;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.bench.baseline.AwsSdkClient;
import dev.switchboard.bench.baseline.RawClient;
import dev.switchboard.bench.stub.StubProcess;
import dev.switchboard.testing.ProviderTestKit;
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
 * paired ratios is far steadier than two JMH runs minutes apart. {@code -Dthreads=32} runs each
 * slice with 32 concurrent callers and also reports calls per second.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.Interleaved \
 *     openai 30 chat-raw chat-raw-async chat-switchboard
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.Interleaved \
 *     bedrock 30 stream-raw stream-switchboard stream-listener
 * </pre>
 * Variants: {@code chat-raw}, {@code chat-raw-async}, {@code chat-switchboard}, and for Bedrock
 * {@code chat-switchboard-sigv4} (SigV4 with static keys) and {@code chat-awssdk} (the AWS SDK's
 * {@code BedrockRuntimeClient}, also SigV4: {@link AwsSdkClient}); {@code stream-raw},
 * {@code stream-switchboard} (iterating), {@code stream-listener}. CPU is the whole process's
 * (all threads); allocation is every thread's ({@code getTotalThreadAllocatedBytes}); the stub
 * runs in another process.
 */
public final class Interleaved {
  private static final long SLICE_NANOS = Long.getLong("slice.millis", 500) * 1_000_000L;
  private static final long WARMUP_NANOS = Long.getLong("warmup.seconds", 30) * 1_000_000_000L;
  private static final int THREADS = Integer.getInteger("threads", 1);

  private final String provider;
  private final Switchboard switchboard;
  private final RawClient raw;
  private final ChatRequest request;
  private final ChatRequest sigv4Request = Payloads.request("bedrock-sigv4");
  private final AwsSdkClient awsSdk; // only when a variant names it: its client starts threads
  private final java.util.concurrent.atomic.LongAdder sink = new java.util.concurrent.atomic.LongAdder();

  private Interleaved(String provider, Switchboard switchboard, RawClient raw, AwsSdkClient awsSdk) {
    this.provider = provider;
    this.awsSdk = awsSdk;
    this.switchboard = switchboard;
    this.raw = raw;
    this.request = Payloads.request(provider);
  }

  private void run(String variant) {
    switch (variant) {
      case "chat-raw" -> sink.add(rawChat().text().length());
      case "chat-raw-async" -> sink.add(raw.chatAsync(provider, request).text().length());
      case "chat-switchboard" -> sink.add(switchboard.chat(request).text().length());
      case "chat-switchboard-sigv4" -> sink.add(switchboard.chat(sigv4Request).text().length());
      case "chat-awssdk" -> sink.add(awsSdk.chat().length());
      case "stream-raw" -> sink.add(rawStream());
      case "stream-switchboard" -> {
        try (ChatStream s = switchboard.stream(request)) {
          for (ChatEvent e : s) sink.increment();
        }
      }
      case "stream-listener" -> sink.add(listen().text().length());
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
      case "openai" -> raw.openAiStream(request, t -> sink.increment());
      case "azure" -> raw.azureStream(request, t -> sink.increment());
      default -> raw.bedrockStream(request, Payloads.BEDROCK_MODEL, t -> sink.increment());
    };
  }

  private ChatResponse listen() {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    try (ChatStream s = switchboard.stream(request)) {
      s.listen(new ChatStreamListener() {
        @Override
        public void onEvent(ChatEvent event) {
          sink.increment();
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
        RawClient raw = new RawClient(stub.baseUrl(), ProviderTestKit.newObjectMapper())) {
      AwsSdkClient awsSdk = variants.contains("chat-awssdk")
          ? new AwsSdkClient(stub.baseUrl(), Payloads.request(provider), Payloads.BEDROCK_MODEL) : null;
      Interleaved bench = new Interleaved(provider, sb, raw, awsSdk);
      Callers callers = new Callers(bench, THREADS);
      for (String v : variants) callers.slice(v, WARMUP_NANOS / variants.size());
      Map<String, double[]> cpu = new LinkedHashMap<>();
      Map<String, double[]> alloc = new LinkedHashMap<>();
      Map<String, double[]> rate = new LinkedHashMap<>();
      for (String v : variants) {
        cpu.put(v, new double[rounds]);
        alloc.put(v, new double[rounds]);
        rate.put(v, new double[rounds]);
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < variants.size(); i++) {
          String v = variants.get((i + r) % variants.size()); // rotate the order each round
          long cpu0 = os.getProcessCpuTime();
          long alloc0 = threads.getTotalThreadAllocatedBytes();
          long start = System.nanoTime();
          long n = callers.slice(v, SLICE_NANOS);
          long wall = System.nanoTime() - start;
          cpu.get(v)[r] = (os.getProcessCpuTime() - cpu0) / 1000.0 / n;
          alloc.get(v)[r] = (threads.getTotalThreadAllocatedBytes() - alloc0) / (double) n;
          rate.get(v)[r] = n * 1e9 / wall;
        }
      }
      callers.stop();
      String base = variants.get(0);
      System.out.printf(Locale.ROOT, "%s, %d caller(s), %d rounds of %d ms, %d cores, load average %.1f; ratios against %s%n",
          provider, THREADS, rounds, SLICE_NANOS / 1_000_000, Runtime.getRuntime().availableProcessors(),
          os.getSystemLoadAverage(), base);
      for (String v : variants) {
        double[] ratio = new double[rounds];
        double[] allocRatio = new double[rounds];
        double[] rateRatio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = cpu.get(v)[r] / cpu.get(base)[r];
          allocRatio[r] = alloc.get(v)[r] / alloc.get(base)[r];
          rateRatio[r] = rate.get(v)[r] / rate.get(base)[r];
        }
        System.out.printf(Locale.ROOT,
            "%-20s CPU %9.1f us/call  alloc %9.0f B/call  %8.0f calls/s  CPU ratio %.3f [%.3f..%.3f]  alloc ratio %.3f"
                + "  calls/s ratio %.3f [%.3f..%.3f]%n",
            v, median(cpu.get(v)), median(alloc.get(v)), median(rate.get(v)), median(ratio), min(ratio), max(ratio),
            median(allocRatio), median(rateRatio), min(rateRatio), max(rateRatio));
      }
      if (bench.sink.sum() == 42) System.out.println(); // keep the work observable
      if (awsSdk != null) awsSdk.close();
    }
  }

  /** The callers: {@code threads} threads that run whichever variant the current slice names. */
  private static final class Callers {
    private final Interleaved bench;
    private final java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.List<Thread> threads = new java.util.ArrayList<>();
    private volatile String variant;
    private volatile boolean stopped;

    Callers(Interleaved bench, int count) {
      this.bench = bench;
      for (int i = 0; i < count; i++) {
        Thread t = new Thread(this::loop, "caller-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void loop() {
      while (!stopped) {
        String v = variant;
        if (v == null) {
          java.util.concurrent.locks.LockSupport.parkNanos(100_000);
          continue;
        }
        busy.incrementAndGet();
        try {
          bench.run(v);
          done.increment();
        } finally {
          busy.decrementAndGet();
        }
      }
    }

    /** Runs {@code v} on every caller for about {@code nanos}; returns the calls completed. */
    long slice(String v, long nanos) throws InterruptedException {
      long before = done.sum();
      variant = v;
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
      variant = null;
      while (busy.get() > 0) java.util.concurrent.locks.LockSupport.parkNanos(50_000); // no call straddles two slices
      return Math.max(1, done.sum() - before);
    }

    void stop() throws InterruptedException {
      stopped = true;
      for (Thread t : threads) t.join(10_000);
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
