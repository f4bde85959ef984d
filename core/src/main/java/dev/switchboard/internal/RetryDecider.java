package dev.switchboard.internal;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.FailoverPolicy;
import dev.switchboard.resilience.RetryPolicy;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * What a call does after an attempt failed and no other attempt of it runs: {@link Retry} on
 * the same target after a delay, {@link Failover} along the plan, or {@link Fail}. The rules are
 * {@link RetryPolicy}'s and {@link FailoverPolicy}'s; this class only applies them.
 *
 * <p>It is a function of its arguments: it holds no call state, logs nothing and tells no
 * listener; its one effect is asking the {@link Budget} it is given for a retry token, and only
 * when a retry is otherwise due. The caller acts on the answer (and reports a refused token).
 */
final class RetryDecider {

  /** The answer. {@code budgetDenied} on the non-retry answers: a retry was due, the budget refused it. */
  sealed interface Decision permits Retry, Failover, Fail {}

  /** Repeat the attempt on the same target after {@code delayMillis}; a budget token is taken. */
  record Retry(long delayMillis) implements Decision {}

  /** Try the next target in the plan that {@link #accepts}; the others are skipped for {@code rejection}. */
  record Failover(Predicate<AliasTarget> accept, String rejection, boolean budgetDenied) implements Decision {
    /** Whether {@code t} may take over; every target may unless the failure narrowed the choice. */
    boolean accepts(AliasTarget t) {
      return accept == null || accept.test(t);
    }
  }

  /** End the call with {@code error} (the attempt's failure; the caller adds the trace). */
  record Fail(SwitchboardException error, boolean budgetDenied) implements Decision {}

  /** The shared retry budget, as the decider sees it. */
  interface Budget {
    /** Takes one retry token; false when the budget is spent. */
    boolean tryWithdraw();

    /** Whether the budget is spent now (takes nothing). */
    boolean exhausted();
  }

  /**
   * The failed attempt: its error, how many retries on its target preceded it, how long its
   * target still cools down after a 429 (ms), what the call has done so far, and whether a
   * target the call has not tried yet could serve it now.
   */
  record Failure(SwitchboardException error, AliasTarget target, int retries, long coolingMillis, int failovers,
      boolean budgetDeniedBefore, boolean anotherTargetLeft) {}

  private final RetryPolicy retry;
  private final FailoverPolicy failover;
  private final long requiredContext;
  private final RandomGenerator random;

  RetryDecider(RetryPolicy retry, FailoverPolicy failover, long requiredContext, RandomGenerator random) {
    this.retry = retry;
    this.failover = failover;
    this.requiredContext = requiredContext;
    this.random = random;
  }

  /** The decision for {@code f} with {@code remainingMillis} left before the call's deadline. */
  Decision decide(Failure f, long remainingMillis, Budget budget) {
    SwitchboardException e = f.error();
    ErrorKind kind = e.kind();
    if (kind == ErrorKind.CANCELLED || remainingMillis <= 0) return new Fail(e, false);
    // A 429 says "not here, not now": another target that can serve answers sooner than any
    // wait here, so it goes first; the limited target cools down meanwhile. Only when no other
    // target is left is the same one retried after its cooldown.
    if (kind == ErrorKind.RATE_LIMITED && f.anotherTargetLeft() && failover.failsOver(kind)
        && mayFailOver(f.failovers(), f.budgetDeniedBefore(), budget)) {
      return failoverFrom(f.target(), kind, false);
    }
    boolean denied = false;
    if (retry.retries(kind) && f.retries() < retry.maxRetries()) {
      long wait = retryWait(f, remainingMillis);
      if (wait >= 0 && wait < remainingMillis) {
        if (budget.tryWithdraw()) return new Retry(wait);
        denied = true;
      }
    }
    if (failover.failsOver(kind) && mayFailOver(f.failovers(), f.budgetDeniedBefore() || denied, budget)) {
      return failoverFrom(f.target(), kind, denied);
    }
    return new Fail(e, denied);
  }

  /** How long to wait before retrying, or -1 for no retry on this target. */
  private long retryWait(Failure f, long remainingMillis) {
    SwitchboardException e = f.error();
    ErrorKind kind = e.kind();
    if (e.retryAfter().isPresent() || kind == ErrorKind.RATE_LIMITED) {
      // A 429 waits out its target's cooldown: the Retry-After, or the cooldown floor without one.
      long wait = e.retryAfter().map(d -> d.toMillis()).orElse(0L);
      if (kind == ErrorKind.RATE_LIMITED) wait = Math.max(wait, f.coolingMillis());
      return wait > retry.maxRetryAfter().toMillis() ? -1 : wait; // too long to wait here: fail over at once
    }
    long limitNanos = Math.min(remainingMillis, Long.MAX_VALUE / 1_000_000L) * 1_000_000L;
    return retry.jitteredBackoffNanos(f.retries(), limitNanos, random) / 1_000_000L;
  }

  /** Once the retry budget is spent (or refused this call a token), a call fails over at most once. */
  static boolean mayFailOver(int failovers, boolean budgetDenied, Budget budget) {
    return failovers < 1 || !(budgetDenied || budget.exhausted());
  }

  /**
   * A failover away from {@code failed} after {@code kind}: any target, except after
   * CONTEXT_LENGTH_EXCEEDED, when only a target known to have a larger context window may take over.
   */
  Failover failoverFrom(AliasTarget failed, ErrorKind kind, boolean budgetDenied) {
    if (kind != ErrorKind.CONTEXT_LENGTH_EXCEEDED) return new Failover(null, null, budgetDenied);
    long needed = Math.max(requiredContext, failed.target.contextWindow().orElse(0));
    // Not known to be smaller: an unknown window may well be larger (on by default, so targets
    // without a declared window must not block the failover).
    return new Failover(t -> t.target.contextWindow().isEmpty() || t.target.contextWindow().getAsInt() > needed,
        "known context window is not larger than " + failed.ref + "'s", budgetDenied);
  }
}
