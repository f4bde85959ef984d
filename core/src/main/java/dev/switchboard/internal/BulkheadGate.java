package dev.switchboard.internal;

import dev.switchboard.TargetRef;
import dev.switchboard.resilience.BulkheadPolicy;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One target's Resilience4j bulkhead, used without blocking: {@link #tryAcquire} never waits.
 * For {@link BulkheadPolicy.WhenFull#WAIT} a call registers a {@link Waiter}; a released slot
 * is handed to the oldest waiter still waiting, whose continuation runs (it only posts to its
 * call), so no thread ever parks on the bulkhead.
 */
final class BulkheadGate {
  private final Bulkhead bulkhead;
  final BulkheadPolicy policy;
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

  BulkheadGate(TargetRef ref, BulkheadPolicy policy) {
    this.policy = policy;
    this.bulkhead = Bulkhead.of(ref.toString(), BulkheadConfig.custom()
        .maxConcurrentCalls(policy.maxConcurrentCalls())
        .maxWaitDuration(Duration.ZERO)
        .writableStackTraceEnabled(false)
        .build());
  }

  boolean tryAcquire() {
    return bulkhead.tryAcquirePermission();
  }

  void release() {
    bulkhead.onComplete();
    drain();
  }

  /** Waits for a slot; {@code granted} runs (holding the slot) unless the waiter is cancelled first. */
  Waiter await(Runnable granted) {
    Waiter w = new Waiter(granted);
    waiters.add(w);
    drain(); // a slot may have been freed between the failed tryAcquire and the add
    return w;
  }

  private void drain() {
    while (!waiters.isEmpty() && bulkhead.tryAcquirePermission()) {
      Waiter w;
      boolean handed = false;
      while ((w = waiters.poll()) != null) {
        if (w.claim()) {
          w.granted.run();
          handed = true;
          break;
        }
      }
      if (!handed) {
        bulkhead.releasePermission();
        return;
      }
    }
  }

  int maxConcurrentCalls() {
    return policy.maxConcurrentCalls();
  }

  /** A call waiting for a slot. */
  static final class Waiter {
    private final Runnable granted;
    private final AtomicBoolean done = new AtomicBoolean();

    private Waiter(Runnable granted) {
      this.granted = granted;
    }

    private boolean claim() {
      return done.compareAndSet(false, true);
    }

    /** Stops waiting; true if no slot had been handed over yet. */
    boolean cancel() {
      return done.compareAndSet(false, true);
    }
  }
}
