package dev.switchboard.internal;

import dev.switchboard.Scheduler;
import java.time.Instant;

/**
 * One attempt of a call on one target, from admission to its end: the permits it holds
 * (circuit, bulkhead), whether it is a hedge or a bypass of an open circuit, how many retries
 * on its target preceded it, and its timer. Touched only by its call's serial executor, except
 * where a subclass says otherwise.
 */
class Trial {
  final AliasTarget t;
  boolean circuit;
  boolean bulkhead;
  boolean waitForBulkhead;
  boolean bypass;
  boolean hedge;
  int retries;
  int number;
  Instant start;
  long startMillis;
  boolean sent;
  boolean over;
  Scheduler.Cancellable timer;
  BulkheadGate.Waiter waiter;

  Trial(AliasTarget t) {
    this.t = t;
  }

  final void cancelTimer() {
    Scheduler.Cancellable c = timer;
    if (c != null) {
      timer = null;
      c.cancel();
    }
  }
}
