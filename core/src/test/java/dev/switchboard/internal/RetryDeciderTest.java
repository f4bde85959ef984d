package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Target;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.FailoverPolicy;
import dev.switchboard.resilience.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The retry decider on its own: no engine, no provider, no clock; the budget is a counter. */
class RetryDeciderTest {
  private static final RetryPolicy RETRY = RetryPolicy.builder()
      .maxRetries(2).initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).multiplier(2)
      .maxRetryAfter(Duration.ofSeconds(2))
      .retryOn(Set.of(ErrorKind.SERVER_ERROR, ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT)).build();
  private static final FailoverPolicy FAILOVER = new FailoverPolicy(
      Set.of(ErrorKind.SERVER_ERROR, ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT, ErrorKind.CONTEXT_LENGTH_EXCEEDED), false);

  private final RetryDecider decider = new RetryDecider(RETRY, FAILOVER, 3_000, new Random(7));
  private final AliasTarget small = target(0, "small", 4_000);
  private final AliasTarget large = target(1, "large", 128_000);
  private final AliasTarget unknown = target(2, "unknown", 0);

  /** A budget with {@code tokens} retries left; counts what was taken. */
  private static final class Tokens implements RetryDecider.Budget {
    int left;
    int taken;

    Tokens(int left) {
      this.left = left;
    }

    @Override
    public boolean tryWithdraw() {
      if (left == 0) return false;
      left--;
      taken++;
      return true;
    }

    @Override
    public boolean exhausted() {
      return left == 0;
    }
  }

  @Test
  void aTransientFailureIsRetriedAfterAJitteredBackoffAndTakesOneToken() {
    Tokens budget = new Tokens(5);
    for (int retries = 0; retries < 2; retries++) {
      RetryDecider.Decision d = decider.decide(failure(error(ErrorKind.SERVER_ERROR), retries, 0, false), 10_000, budget);
      assertThat(d).isInstanceOf(RetryDecider.Retry.class);
      long cap = 100L << retries;
      assertThat(((RetryDecider.Retry) d).delayMillis()).isBetween(0L, cap - 1);
    }
    assertThat(budget.taken).isEqualTo(2);
  }

  @Test
  void afterTheLastRetryTheCallFailsOverToAnyTarget() {
    Tokens budget = new Tokens(5);
    RetryDecider.Decision d = decider.decide(failure(error(ErrorKind.SERVER_ERROR), 2, 0, false), 10_000, budget);
    assertThat(d).isInstanceOf(RetryDecider.Failover.class);
    RetryDecider.Failover f = (RetryDecider.Failover) d;
    assertThat(f.accepts(small)).isTrue();
    assertThat(f.accepts(unknown)).isTrue();
    assertThat(f.budgetDenied()).isFalse();
    assertThat(budget.taken).isZero();
  }

  @Test
  void aRefusedTokenTurnsTheRetryIntoAFailoverAndSaysSo() {
    RetryDecider.Decision d = decider.decide(failure(error(ErrorKind.SERVER_ERROR), 0, 0, false), 10_000, new Tokens(0));
    assertThat(d).isInstanceOf(RetryDecider.Failover.class);
    assertThat(((RetryDecider.Failover) d).budgetDenied()).isTrue();
  }

  @Test
  void withTheBudgetSpentACallFailsOverOnlyOnce() {
    SwitchboardException e = error(ErrorKind.SERVER_ERROR);
    RetryDecider.Decision d = decider.decide(new RetryDecider.Failure(e, small, 2, 0, 1, false, false), 10_000, new Tokens(0));
    assertThat(d).isEqualTo(new RetryDecider.Fail(e, false));
    RetryDecider.Decision withTokens = decider.decide(new RetryDecider.Failure(e, small, 2, 0, 1, false, false), 10_000, new Tokens(3));
    assertThat(withTokens).isInstanceOf(RetryDecider.Failover.class);
    RetryDecider.Decision deniedEarlier = decider.decide(new RetryDecider.Failure(e, small, 2, 0, 1, true, false), 10_000, new Tokens(3));
    assertThat(deniedEarlier).isInstanceOf(RetryDecider.Fail.class);
  }

  @Test
  void cancelledOrOutOfTimeFailsWithoutTouchingTheBudget() {
    Tokens budget = new Tokens(5);
    SwitchboardException cancelled = error(ErrorKind.CANCELLED);
    assertThat(decider.decide(failure(cancelled, 0, 0, false), 10_000, budget)).isEqualTo(new RetryDecider.Fail(cancelled, false));
    SwitchboardException e = error(ErrorKind.SERVER_ERROR);
    assertThat(decider.decide(failure(e, 0, 0, false), 0, budget)).isEqualTo(new RetryDecider.Fail(e, false));
    assertThat(budget.taken).isZero();
  }

  @Test
  void aKindNeitherRetriedNorFailedOverFails() {
    SwitchboardException e = error(ErrorKind.INVALID_REQUEST);
    assertThat(decider.decide(failure(e, 0, 0, false), 10_000, new Tokens(5))).isEqualTo(new RetryDecider.Fail(e, false));
  }

  @Test
  void retryAfterIsTheDelayWithinItsLimitAndTheDeadline() {
    SwitchboardException e = error(ErrorKind.SERVER_ERROR, Duration.ofMillis(500));
    assertThat(decider.decide(failure(e, 0, 0, false), 10_000, new Tokens(5))).isEqualTo(new RetryDecider.Retry(500));
    // Longer than the call has left, or than maxRetryAfter: fail over at once, no token taken.
    Tokens budget = new Tokens(5);
    assertThat(decider.decide(failure(e, 0, 0, false), 400, budget)).isInstanceOf(RetryDecider.Failover.class);
    SwitchboardException tooLong = error(ErrorKind.SERVER_ERROR, Duration.ofSeconds(3));
    assertThat(decider.decide(failure(tooLong, 0, 0, false), 10_000, budget)).isInstanceOf(RetryDecider.Failover.class);
    assertThat(budget.taken).isZero();
  }

  @Test
  void aRateLimitWithAnotherTargetLeftFailsOverAtOnceWhateverItsRetryAfter() {
    Tokens budget = new Tokens(5);
    for (Duration retryAfter : new Duration[] {Duration.ZERO, Duration.ofSeconds(1), null}) {
      SwitchboardException limited = retryAfter == null ? error(ErrorKind.RATE_LIMITED) : error(ErrorKind.RATE_LIMITED, retryAfter);
      RetryDecider.Decision d = decider.decide(new RetryDecider.Failure(limited, small, 0, 1_000, 0, false, true), 10_000, budget);
      assertThat(d).as("429 with Retry-After %s and another target left", retryAfter).isInstanceOf(RetryDecider.Failover.class);
      assertThat(((RetryDecider.Failover) d).budgetDenied()).isFalse();
    }
    assertThat(budget.taken).as("a failover takes no retry token").isZero();
  }

  @Test
  void aRateLimitWithNoOtherTargetWaitsForTheLongerOfRetryAfterAndTheCooldown() {
    SwitchboardException limited = error(ErrorKind.RATE_LIMITED, Duration.ofMillis(300));
    assertThat(decider.decide(failure(limited, 0, 800, false), 10_000, new Tokens(5))).isEqualTo(new RetryDecider.Retry(800));
    // Without a Retry-After the cooldown (its floor) is the wait.
    assertThat(decider.decide(failure(error(ErrorKind.RATE_LIMITED), 0, 1_000, false), 10_000, new Tokens(5)))
        .isEqualTo(new RetryDecider.Retry(1_000));
    // A cooldown longer than maxRetryAfter (2 s here) is not waited for: nowhere else to go, so the call fails.
    Tokens budget = new Tokens(5);
    SwitchboardException longer = error(ErrorKind.RATE_LIMITED, Duration.ofSeconds(3));
    assertThat(decider.decide(failure(longer, 0, 3_000, false), 10_000, budget)).isInstanceOf(RetryDecider.Failover.class);
    assertThat(budget.taken).isZero();
  }

  @Test
  void aRateLimitIsRetriedInPlaceWhenFailoverOnItIsTurnedOffOrTheBudgetForbidsASecondFailover() {
    SwitchboardException limited = error(ErrorKind.RATE_LIMITED, Duration.ofMillis(500));
    RetryDecider noFailover = new RetryDecider(RETRY, new FailoverPolicy(Set.of(ErrorKind.SERVER_ERROR), false), 3_000, new Random(7));
    assertThat(noFailover.decide(new RetryDecider.Failure(limited, small, 0, 500, 0, false, true), 10_000, new Tokens(5)))
        .isEqualTo(new RetryDecider.Retry(500));
    // One failover already done and the budget spent: no second failover; the retry is refused too.
    RetryDecider.Decision spent = decider.decide(new RetryDecider.Failure(limited, small, 0, 500, 1, false, true), 10_000, new Tokens(0));
    assertThat(spent).isInstanceOf(RetryDecider.Fail.class);
    assertThat(((RetryDecider.Fail) spent).budgetDenied()).isTrue();
  }

  @Test
  void aContextOverflowFailsOverToATargetNotKnownToHaveASmallerWindow() {
    RetryDecider.Decision d = decider.decide(failure(error(ErrorKind.CONTEXT_LENGTH_EXCEEDED), 0, 0, false), 10_000, new Tokens(5));
    RetryDecider.Failover f = (RetryDecider.Failover) d;
    assertThat(f.accepts(large)).isTrue();
    assertThat(f.accepts(small)).isFalse();
    assertThat(f.accepts(unknown)).isTrue(); // an unknown window may be larger
    assertThat(f.rejection()).contains("small");
  }

  private RetryDecider.Failure failure(SwitchboardException e, int retries, long cooling, boolean deniedBefore) {
    return new RetryDecider.Failure(e, small, retries, cooling, 0, deniedBefore, false);
  }

  private static SwitchboardException error(ErrorKind kind) {
    return SwitchboardException.of(kind, "test " + kind);
  }

  private static SwitchboardException error(ErrorKind kind, Duration retryAfter) {
    return SwitchboardException.builder(kind, "test " + kind).retryAfter(retryAfter).build();
  }

  private static AliasTarget target(int index, String name, int window) {
    Target t = Target.of(name, "m");
    if (window > 0) t = t.withContextWindow(window);
    return new AliasTarget(index, t, new TargetRef(name, "mock", "m"), Optional.empty(), null, null);
  }
}
