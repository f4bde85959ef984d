package dev.switchboard.resilience;

import java.time.Duration;

/**
 * Caps the extra load retries and hedges may add, per switchboard, over a sliding
 * {@link #window()}: at most {@code ratio × calls + minPerSecond × window seconds} of them.
 * When the budget is spent a call does not retry or hedge and fails over at most once, so an
 * outage cannot multiply traffic.
 *
 * <p>Defaults: 20 % of calls, plus 1 per second so that a quiet application can still retry,
 * over 10 s.
 */
public record RetryBudgetPolicy(boolean enabled, double ratio, double minPerSecond, Duration window) {

  public static final RetryBudgetPolicy DEFAULTS = new RetryBudgetPolicy(true, 0.2, 1.0, Duration.ofSeconds(10));

  /** No budget: every retry and hedge the policies allow is made. */
  public static final RetryBudgetPolicy UNLIMITED = new RetryBudgetPolicy(false, 0.2, 1.0, Duration.ofSeconds(10));

  public RetryBudgetPolicy {
    if (!(ratio >= 0) || Double.isInfinite(ratio)) throw new IllegalArgumentException("retry-budget.ratio must be >= 0, got " + ratio);
    if (!(minPerSecond >= 0) || Double.isInfinite(minPerSecond)) {
      throw new IllegalArgumentException("retry-budget.min-per-second must be >= 0, got " + minPerSecond);
    }
    Checks.positive(window, "retry-budget.window");
    if (window.toMillis() < 1000) throw new IllegalArgumentException("retry-budget.window must be at least 1 s, got " + window);
  }

  /** A budget of {@code ratio} of calls plus {@code minPerSecond}, over the default 10 s window. */
  public static RetryBudgetPolicy of(double ratio, double minPerSecond) {
    return new RetryBudgetPolicy(true, ratio, minPerSecond, Duration.ofSeconds(10));
  }

  public RetryBudgetPolicy withWindow(Duration window) {
    return new RetryBudgetPolicy(enabled, ratio, minPerSecond, window);
  }
}
