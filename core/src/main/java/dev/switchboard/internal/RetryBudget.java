package dev.switchboard.internal;

import dev.switchboard.resilience.RetryBudgetPolicy;

/**
 * The switchboard-wide budget for retries and hedges: over a sliding window (ten buckets on the
 * injected clock), at most {@code ratio × calls + minPerSecond × window seconds} of them. Calls
 * deposit, retries and hedges withdraw. The lock covers a few arithmetic operations.
 */
final class RetryBudget {
  private final boolean enabled;
  private final double ratio;
  private final double floor;
  private final long bucketMillis;
  private final long[] calls = new long[10];
  private final long[] retries = new long[10];
  private final long[] ids = new long[10];

  RetryBudget(RetryBudgetPolicy policy) {
    this.enabled = policy.enabled();
    this.ratio = policy.ratio();
    long windowMillis = policy.window().toMillis();
    this.floor = policy.minPerSecond() * windowMillis / 1000.0;
    this.bucketMillis = Math.max(1, windowMillis / calls.length);
    java.util.Arrays.fill(ids, Long.MIN_VALUE);
  }

  void onCall(long nowMillis) {
    if (!enabled) return;
    synchronized (this) {
      calls[slot(nowMillis)]++;
    }
  }

  /** Withdraws one retry or hedge if the budget allows it. */
  boolean tryWithdraw(long nowMillis) {
    if (!enabled) return true;
    synchronized (this) {
      int slot = slot(nowMillis);
      if (!hasRoom(nowMillis)) return false;
      retries[slot]++;
      return true;
    }
  }

  /** Whether the next retry would be refused. */
  boolean exhausted(long nowMillis) {
    if (!enabled) return false;
    synchronized (this) {
      slot(nowMillis);
      return !hasRoom(nowMillis);
    }
  }

  private boolean hasRoom(long nowMillis) {
    long id = Math.floorDiv(nowMillis, bucketMillis);
    long c = 0;
    long r = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > id - ids.length && ids[i] <= id) {
        c += calls[i];
        r += retries[i];
      }
    }
    return r + 1 <= ratio * c + floor;
  }

  private int slot(long nowMillis) {
    long id = Math.floorDiv(nowMillis, bucketMillis);
    int slot = (int) Math.floorMod(id, (long) ids.length);
    if (ids[slot] != id) {
      ids[slot] = id;
      calls[slot] = 0;
      retries[slot] = 0;
    }
    return slot;
  }
}
