package dev.switchboard.internal;

/**
 * Counts over a sliding window of {@code buckets} time buckets on the injected clock. Methods
 * hold the lock for a few arithmetic operations only; the hot path calls them once per call.
 */
final class SlidingCounter {
  private final long bucketMillis;
  private final long[] counts;
  private final long[] ids;

  SlidingCounter(long windowMillis, int buckets) {
    this.bucketMillis = Math.max(1, windowMillis / buckets);
    this.counts = new long[buckets];
    this.ids = new long[buckets];
    java.util.Arrays.fill(ids, Long.MIN_VALUE);
  }

  synchronized void add(long nowMillis, long n) {
    long id = Math.floorDiv(nowMillis, bucketMillis);
    int slot = (int) Math.floorMod(id, (long) counts.length);
    if (ids[slot] != id) {
      ids[slot] = id;
      counts[slot] = 0;
    }
    counts[slot] += n;
  }

  synchronized long sum(long nowMillis) {
    long id = Math.floorDiv(nowMillis, bucketMillis);
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (ids[i] > id - counts.length && ids[i] <= id) total += counts[i];
    }
    return total;
  }
}
