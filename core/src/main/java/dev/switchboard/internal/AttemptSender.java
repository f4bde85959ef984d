package dev.switchboard.internal;

import dev.switchboard.SwitchboardException;

/**
 * What one kind of call — {@link UnarySender} (chat, embeddings) or {@link StreamSender} — adds to
 * its {@link CallDriver}: sending one admitted attempt to its provider and reporting the outcome
 * to the driver ({@code settle}, then {@code afterFailure} on a failure), and how this kind
 * answers the caller (the unary result; the stream's claim, output and state). The plan, the
 * permits, the retry decision and the hedges are the driver's. Called only in the call's serial
 * executor.
 */
interface AttemptSender {

  /** A trial for {@code target}, with what this kind keeps per attempt (for the plan). */
  Trial newTrial(AliasTarget target);

  /** The call's first step, after its deadline is armed and before its plan is made: arms this kind's own timers. */
  default void callStarted() {}

  /**
   * Sends one admitted trial (in the driver's running list) to its provider and arranges for its
   * outcome to be reported to the driver; a primary attempt arms the driver's hedger.
   */
  void send(Trial trial);

  /** Whether an attempt has claimed the caller's answer (a stream past its first event), so a hedge cannot help. */
  default boolean claimed() {
    return false;
  }

  /** The call's deadline passed: ends what runs with TIMEOUT, and the call. */
  void deadlinePassed();

  /** Nothing is left to try: ends the call with the driver's {@code failure()}, or with what this kind has better. */
  void giveUp();

  /** Ends the call at once with {@code error}, cancelling whatever runs. */
  void abort(SwitchboardException error);

  /** Whether the call has ended. */
  boolean finished();
}
