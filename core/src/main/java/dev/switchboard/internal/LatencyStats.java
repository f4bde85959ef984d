package dev.switchboard.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A decaying average and a recent 95th percentile of one latency, lock-free. The average is an
 * EWMA (each sample weighs {@value #ALPHA}); concurrent updates may lose a sample, which only
 * matters for statistics. The p95 is recomputed from the last {@value #RING} samples every
 * {@value #RECOMPUTE_EVERY} samples so that reading it stays a volatile read.
 */
final class LatencyStats {
  static final double ALPHA = 0.2;
  static final int RING = 64;
  static final int RECOMPUTE_EVERY = 8;

  private final int minSamplesForP95;
  private final AtomicLongArray ring = new AtomicLongArray(RING);
  private final AtomicLong count = new AtomicLong();
  private volatile double average = Double.NaN;
  private volatile long p95 = -1;

  LatencyStats(int minSamplesForP95) {
    this.minSamplesForP95 = minSamplesForP95;
  }

  void record(long millis) {
    double a = average;
    average = Double.isNaN(a) ? millis : a + ALPHA * (millis - a);
    long n = count.getAndIncrement();
    ring.set((int) (n % RING), millis);
    long recorded = n + 1;
    if (recorded >= minSamplesForP95 && (recorded % RECOMPUTE_EVERY == 0 || recorded == minSamplesForP95)) {
      int size = (int) Math.min(recorded, RING);
      long[] copy = new long[size];
      for (int i = 0; i < size; i++) copy[i] = ring.get(i);
      Arrays.sort(copy);
      p95 = copy[(int) Math.ceil(0.95 * size) - 1];
    }
  }

  /** The decaying average in ms, {@code NaN} before the first sample. */
  double average() {
    return average;
  }

  long samples() {
    return count.get();
  }

  /** The recent p95 in ms, or -1 until enough samples exist. */
  long p95() {
    return p95;
  }
}
