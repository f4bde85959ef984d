package dev.switchboard.examples.demo;

import static dev.switchboard.metrics.MetricNames.ATTEMPTS;
import static dev.switchboard.metrics.MetricNames.CIRCUIT_STATE;
import static dev.switchboard.metrics.MetricNames.ERROR_TYPE;
import static dev.switchboard.metrics.MetricNames.FAILOVERS;
import static dev.switchboard.metrics.MetricNames.OPERATION_DURATION;
import static dev.switchboard.metrics.MetricNames.OUTCOME;
import static dev.switchboard.metrics.MetricNames.RETRIES;
import static dev.switchboard.metrics.MetricNames.SKIPPED;
import static dev.switchboard.metrics.MetricNames.SKIP_REASON;
import static dev.switchboard.metrics.MetricNames.TARGET;
import static dev.switchboard.metrics.MetricNames.TIME_TO_FIRST_CHUNK;
import static dev.switchboard.metrics.MetricNames.TOKEN_TYPE;
import static dev.switchboard.metrics.MetricNames.TOKEN_USAGE;

import dev.switchboard.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The table that ends the demo, read from Switchboard's own Micrometer metrics (the demo gives
 * the switchboard a {@code SimpleMeterRegistry}): per target the attempts and how they ended,
 * skips by reason, calls served, tokens, mean call time and circuit state; then retries,
 * failovers and the stream's time to first chunk.
 */
public final class Summary {
  /** One target's row. */
  public record Row(long attempts, long ok, long failed, long skipped, long served, long inputTokens, long outputTokens,
      double meanCallMillis, String circuit, Map<String, Long> failedBy, Map<String, Long> skippedBy) {}

  private final Map<String, Row> rows = new TreeMap<>();
  private final long calls;
  private final long retries;
  private final long failovers;
  private final double meanFirstChunkMillis;
  private final List<String> circuitChanges;

  /** Reads {@code registry}; {@code circuitChanges} are the transitions in the order they happened. */
  public Summary(MeterRegistry registry, List<String> circuitChanges) {
    this.circuitChanges = List.copyOf(circuitChanges);
    TreeSet<String> targets = new TreeSet<>();
    registry.find(ATTEMPTS).counters().forEach(c -> targets.add(c.getId().getTag(TARGET)));
    registry.find(SKIPPED).counters().forEach(c -> targets.add(c.getId().getTag(TARGET)));
    for (String t : targets) {
      Map<String, Long> failedBy = new TreeMap<>();
      long ok = 0;
      long failed = 0;
      for (Counter c : registry.find(ATTEMPTS).tag(TARGET, t).counters()) {
        long n = (long) c.count();
        if ("succeeded".equals(c.getId().getTag(OUTCOME))) {
          ok += n;
        } else {
          failed += n;
          failedBy.merge(c.getId().getTag(ERROR_TYPE), n, Long::sum);
        }
      }
      Map<String, Long> skippedBy = new TreeMap<>();
      registry.find(SKIPPED).tag(TARGET, t).counters()
          .forEach(c -> skippedBy.merge(c.getId().getTag(SKIP_REASON), (long) c.count(), Long::sum));
      long skipped = skippedBy.values().stream().mapToLong(Long::longValue).sum();
      long servedCount = registry.find(OPERATION_DURATION).tag(TARGET, t).tag(ERROR_TYPE, MetricNames.NONE).timers().stream()
          .mapToLong(Timer::count).sum();
      double totalMillis = registry.find(OPERATION_DURATION).tag(TARGET, t).tag(ERROR_TYPE, MetricNames.NONE).timers().stream()
          .mapToDouble(x -> x.totalTime(TimeUnit.MILLISECONDS)).sum();
      Gauge circuit = registry.find(CIRCUIT_STATE).tag(TARGET, t).gauge();
      rows.put(t, new Row(ok + failed, ok, failed, skipped, servedCount, tokens(registry, t, "input"), tokens(registry, t, "output"),
          servedCount == 0 ? Double.NaN : totalMillis / servedCount, circuit == null ? "closed" : circuitName(circuit.value()),
          failedBy, skippedBy));
    }
    calls = registry.find(OPERATION_DURATION).timers().stream().mapToLong(Timer::count).sum();
    retries = (long) registry.find(RETRIES).counters().stream().mapToDouble(Counter::count).sum();
    failovers = (long) registry.find(FAILOVERS).counters().stream().mapToDouble(Counter::count).sum();
    List<Timer> firstChunk = new ArrayList<>(registry.find(TIME_TO_FIRST_CHUNK).timers());
    long chunks = firstChunk.stream().mapToLong(Timer::count).sum();
    meanFirstChunkMillis = chunks == 0 ? Double.NaN
        : firstChunk.stream().mapToDouble(x -> x.totalTime(TimeUnit.MILLISECONDS)).sum() / chunks;
  }

  /**
   * Waits (up to 2 s) until {@code calls} calls have been recorded: a call's end is recorded
   * just after its result is handed over, possibly on another thread.
   */
  public static void awaitCalls(MeterRegistry registry, long calls) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (registry.find(OPERATION_DURATION).timers().stream().mapToLong(Timer::count).sum() < calls
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  private static long tokens(MeterRegistry registry, String target, String type) {
    return (long) registry.find(TOKEN_USAGE).tag(TARGET, target).tag(TOKEN_TYPE, type).summaries().stream()
        .mapToDouble(DistributionSummary::totalAmount).sum();
  }

  private static String circuitName(double value) {
    return switch ((int) value) {
      case 0 -> "closed";
      case 1 -> "open";
      case 2 -> "half-open";
      default -> "disabled";
    };
  }

  public Map<String, Row> rows() {
    return rows;
  }

  public long calls() {
    return calls;
  }

  public long retries() {
    return retries;
  }

  public long failovers() {
    return failovers;
  }

  public void print(PrintStream out) {
    out.println();
    out.println("Summary: " + calls + " calls, from Switchboard's Micrometer metrics");
    out.printf("   %-14s %8s %4s %7s %8s %7s %15s %13s %9s%n", "target", "attempts", "ok", "failed", "skipped", "served",
        "tokens in/out", "mean call ms", "circuit");
    rows.forEach((name, r) -> out.printf("   %-14s %8d %4d %7d %8d %7d %15s %13s %9s%n", name, r.attempts(), r.ok(), r.failed(),
        r.skipped(), r.served(), r.inputTokens() + " / " + r.outputTokens(),
        Double.isNaN(r.meanCallMillis()) ? "-" : Long.toString(Math.round(r.meanCallMillis())), r.circuit()));
    rows.forEach((name, r) -> {
      if (!r.failedBy().isEmpty()) out.println("   " + name + " failed attempts by error.type: " + r.failedBy());
      if (!r.skippedBy().isEmpty()) out.println("   " + name + " skipped by reason: " + r.skippedBy());
    });
    out.println("   retries: " + retries + "   failovers: " + failovers
        + (Double.isNaN(meanFirstChunkMillis) ? "" : "   stream time to first chunk: " + Math.round(meanFirstChunkMillis) + " ms"));
    if (!circuitChanges.isEmpty()) out.println("   circuit transitions: " + String.join(", ", circuitChanges));
  }
}
