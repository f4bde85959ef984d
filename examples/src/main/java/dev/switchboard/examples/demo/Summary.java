package dev.switchboard.examples.demo;

import dev.switchboard.Attempt;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics table that ends the demo, computed from the calls' attempt traces: per target,
 * the attempts made (and how they ended), the calls it served, their tokens and its mean latency;
 * then retries, failovers and circuit transitions over all calls.
 */
public final class Summary {
  /** One target's row. */
  public static final class Row {
    int attempts;
    int ok;
    int failed;
    int skipped;
    int served;
    long inputTokens;
    long outputTokens;
    long okMillis;

    public int attempts() {
      return attempts;
    }

    public int failed() {
      return failed;
    }

    public int skipped() {
      return skipped;
    }

    public int served() {
      return served;
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> circuitChanges = new ArrayList<>();
  private final int calls;
  private int retries;
  private int failovers;

  public Summary(List<CallRecord> records) {
    calls = records.size();
    for (CallRecord r : records) {
      List<Attempt> tried = r.attempts().stream().filter(a -> a.outcome() != Attempt.Outcome.SKIPPED).toList();
      for (Attempt a : r.attempts()) {
        Row row = rows.computeIfAbsent(a.target().deployment(), k -> new Row());
        switch (a.outcome()) {
          case SKIPPED -> row.skipped++;
          case SUCCEEDED -> {
            row.attempts++;
            row.ok++;
            row.okMillis += a.duration().toMillis();
          }
          default -> {
            row.attempts++;
            row.failed++;
          }
        }
      }
      for (int i = 1; i < tried.size(); i++) {
        if (tried.get(i).target().deployment().equals(tried.get(i - 1).target().deployment())) retries++;
        else failovers++;
      }
      r.servedBy().ifPresent(s -> {
        Row row = rows.computeIfAbsent(s, k -> new Row());
        row.served++;
        row.inputTokens += r.usage().inputTokens();
        row.outputTokens += r.usage().outputTokens();
      });
      circuitChanges.addAll(r.circuitChanges());
    }
  }

  public Map<String, Row> rows() {
    return rows;
  }

  public int retries() {
    return retries;
  }

  public int failovers() {
    return failovers;
  }

  public void print(PrintStream out) {
    out.println();
    out.println("Summary: " + calls + " calls (computed from their attempt traces)");
    out.printf("   %-14s %8s %4s %7s %8s %7s %15s %12s%n", "target", "attempts", "ok", "failed", "skipped", "served",
        "tokens in/out", "mean ok ms");
    rows.forEach((name, r) -> out.printf("   %-14s %8d %4d %7d %8d %7d %15s %12s%n", name, r.attempts, r.ok, r.failed, r.skipped,
        r.served, r.inputTokens + " / " + r.outputTokens, r.ok == 0 ? "-" : Long.toString(r.okMillis / r.ok)));
    out.println("   retries: " + retries + "   failovers: " + failovers);
    if (!circuitChanges.isEmpty()) out.println("   circuit transitions: " + String.join(", ", circuitChanges));
  }
}
