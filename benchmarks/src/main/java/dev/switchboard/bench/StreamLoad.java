package dev.switchboard.bench;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.bench.stub.StubProcess;
import dev.switchboard.HttpSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds many concurrent streams through one {@link Switchboard} and reports what that costs the
 * host: peak live threads, peak heap and heap after a full GC at peak concurrency, and whether
 * every stream completed with every event. The stub (another process) paces each stream's 200
 * chunks so they all stay open together.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.StreamLoad \
 *     [streams=1000] [paceMillis=100] [provider=openai|azure|bedrock] [maxRequests=1024]
 * </pre>
 *
 * Streams are consumed with {@link ChatStream#listen}: events are delivered on the thread that
 * reads the response, so the application needs no thread of its own per stream. OkHttp reads
 * each response body on one dispatcher thread, so live threads track concurrent streams, capped
 * by {@code maxRequests} ({@link HttpSettings#maxRequests()}); streams beyond it wait in
 * OkHttp's queue.
 */
public final class StreamLoad {
  private StreamLoad() {}

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    long pace = args.length > 1 ? Long.parseLong(args[1]) : 100;
    String provider = args.length > 2 ? args[2] : "openai";
    int maxRequests = args.length > 3 ? Integer.parseInt(args[3]) : HttpSettings.DEFAULTS.maxRequests();
    System.out.printf(Locale.ROOT, "streams=%d pace=%d ms provider=%s maxRequests=%d maxHeap=%d MB cores=%d%n",
        streams, pace, provider, maxRequests, Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (StubProcess stub = StubProcess.start(pace);
        Switchboard sb = Clients.switchboard(stub.baseUrl())
            .http(HttpSettings.DEFAULTS.withPool(maxRequests, maxRequests, Math.min(maxRequests, 1024)))
            .routing(dev.switchboard.routing.RoutingPolicy.builder().timeouts(
                dev.switchboard.resilience.Timeouts.builder().call(java.time.Duration.ofMinutes(10)).build()).build())
            .build()) {
      int baseThreads = threads.getThreadCount();
      threads.resetPeakThreadCount();
      ChatRequest request = Payloads.request(provider);
      int deltas = Payloads.textDeltas(provider);
      String expected = Payloads.streamedText(deltas);
      CountDownLatch done = new CountDownLatch(streams);
      AtomicInteger open = new AtomicInteger();
      AtomicInteger maxOpen = new AtomicInteger();
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicLong events = new AtomicLong();
      List<ChatStream> handles = new ArrayList<>(streams);
      long start = System.nanoTime();
      for (int i = 0; i < streams; i++) {
        ChatStream s = sb.stream(request);
        handles.add(s);
        s.listen(new ChatStreamListener() {
          private boolean first = true;

          @Override
          public void onEvent(ChatEvent event) {
            if (first) {
              first = false;
              maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            }
            events.incrementAndGet();
          }

          @Override
          public void onComplete(ChatResponse response) {
            open.decrementAndGet();
            if (expected.equals(response.text())) ok.incrementAndGet();
            else failed.incrementAndGet();
            done.countDown();
          }

          @Override
          public void onError(SwitchboardException error) {
            if (!first) open.decrementAndGet();
            failed.incrementAndGet();
            if (failed.get() <= 3) System.out.println("stream failed: " + error);
            done.countDown();
          }
        });
      }
      long peakHeap = 0;
      long heapAfterGcAtPeak = -1;
      int openAtGc = 0;
      long nextGc = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (!done.await(100, TimeUnit.MILLISECONDS)) {
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        // Every 2 s, the live heap after a full GC; the one measured with the most streams open is reported.
        if (System.nanoTime() > nextGc) {
          int openNow = open.get();
          System.gc();
          long live = memory.getHeapMemoryUsage().getUsed();
          if (openNow > openAtGc) {
            openAtGc = openNow;
            heapAfterGcAtPeak = live;
          }
          System.out.printf(Locale.ROOT, "%5.1f s: %4d streams open, %4d live threads, heap after full GC %6.1f MB%n",
              (System.nanoTime() - start) / 1e9, openNow, threads.getThreadCount(), live / 1048576.0);
          nextGc = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        }
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      handles.forEach(ChatStream::close);
      System.out.printf(Locale.ROOT, "completed=%d failed=%d events=%d (expected %d) in %d ms%n", ok.get(), failed.get(),
          events.get(), (long) streams * (deltas + 2), millis);
      System.out.printf(Locale.ROOT, "max concurrent streams=%d%n", maxOpen.get());
      System.out.printf(Locale.ROOT, "threads: %d before, peak %d (+%d)%n", baseThreads, threads.getPeakThreadCount(),
          threads.getPeakThreadCount() - baseThreads);
      System.out.printf(Locale.ROOT, "heap: peak used %.1f MB, live after full GC with %d streams open %.1f MB, max %d MB%n",
          peakHeap / 1048576.0, openAtGc, heapAfterGcAtPeak / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
      if (failed.get() > 0) System.exit(1);
    }
  }
}
