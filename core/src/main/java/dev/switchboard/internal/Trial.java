package dev.switchboard.internal;

import dev.switchboard.Scheduler;
import java.time.Instant;

/**
 * One attempt of a call on one target while it is in flight, from admission to its end (the
 * finished attempt is the public {@link dev.switchboard.Attempt} in the trace): where it is in
 * its life ({@link State}), why it runs ({@link Role}), the permits it holds (circuit, bulkhead
 * slot), how many retries on its target preceded it, and its timer. Touched only by its call's
 * serial executor, except where a subclass says otherwise.
 */
class Trial {
  /** Admitted and holding its permits; waiting for a bulkhead slot; sent to the provider; over. */
  enum State { ADMITTED, WAITING_FOR_SLOT, SENT, OVER }

  /** Next in the plan (first, retry or failover); a hedge beside a slow attempt; a call despite an open circuit. */
  enum Role { PLANNED, HEDGE, BYPASS }

  final AliasTarget t;
  State state = State.ADMITTED;
  Role role = Role.PLANNED;
  /** The permits held: released or recorded exactly once, when the trial settles. */
  boolean holdsCircuit;
  boolean holdsSlot;
  int retries;
  /** The attempt number in the call, from 1; 0 until sent. */
  int number;
  Instant start;
  long startMillis;
  Scheduler.Cancellable timer;
  BulkheadGate.Waiter waiter;

  Trial(AliasTarget t) {
    this.t = t;
  }

  final boolean over() {
    return state == State.OVER;
  }

  /** Whether it reached the provider (it may be over since). */
  final boolean sent() {
    return number > 0;
  }

  final boolean hedge() {
    return role == Role.HEDGE;
  }

  /**
   * Marks it over ("this attempt is over" is recorded here alone). A wait for a bulkhead slot is
   * given up; a slot granted meanwhile is freed when its grant runs and finds the trial over.
   */
  final void end() {
    if (state == State.WAITING_FOR_SLOT && waiter != null) waiter.cancel();
    state = State.OVER;
    cancelTimer();
  }

  final void cancelTimer() {
    Scheduler.Cancellable c = timer;
    if (c != null) {
      timer = null;
      c.cancel();
    }
  }
}
