package dev.switchboard.routing;

import dev.switchboard.resilience.FailoverPolicy;
import dev.switchboard.resilience.HedgingPolicy;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.resilience.Timeouts;
import java.util.Objects;

/**
 * How one model alias's calls are routed: the {@link RoutingStrategy} that orders its targets,
 * when a failed attempt is retried and when the call fails over, its deadlines, hedging, and
 * whether a stream that broke after its first event restarts on another target.
 *
 * <p>Set per alias with {@code Switchboard.Builder.routing(alias, policy)}, or for every alias
 * without its own with {@code routing(policy)}. Immutable; derive variants with
 * {@link #toBuilder()}.
 *
 * <p>{@code streamRestart} (opt-in): when a stream breaks after events reached the caller with a
 * kind that may fail over, the request is started again on the next eligible target, and that
 * target's first event is preceded by a {@link dev.switchboard.ChatEvent.Reset} telling the
 * caller to discard what it showed. Without it the stream ends with a
 * {@link dev.switchboard.StreamInterruptedException} carrying the partial output.
 */
public record RoutingPolicy(
    RoutingStrategy strategy,
    RetryPolicy retry,
    FailoverPolicy failover,
    Timeouts timeouts,
    HedgingPolicy hedging,
    boolean streamRestart) {

  /** Priority order, default retry and failover tables, no hedging, no stream restart. */
  public static final RoutingPolicy DEFAULTS = new RoutingPolicy(RoutingStrategy.priority(), RetryPolicy.DEFAULTS,
      FailoverPolicy.DEFAULTS, Timeouts.DEFAULTS, HedgingPolicy.DISABLED, false);

  public RoutingPolicy {
    Objects.requireNonNull(strategy, "strategy == null");
    Objects.requireNonNull(retry, "retry == null");
    Objects.requireNonNull(failover, "failover == null");
    Objects.requireNonNull(timeouts, "timeouts == null");
    Objects.requireNonNull(hedging, "hedging == null");
  }

  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link RoutingPolicy}, starting from the defaults. */
  public static final class Builder {
    private RoutingStrategy strategy;
    private RetryPolicy retry;
    private FailoverPolicy failover;
    private Timeouts timeouts;
    private HedgingPolicy hedging;
    private boolean streamRestart;

    private Builder(RoutingPolicy p) {
      strategy = p.strategy;
      retry = p.retry;
      failover = p.failover;
      timeouts = p.timeouts;
      hedging = p.hedging;
      streamRestart = p.streamRestart;
    }

    public Builder strategy(RoutingStrategy strategy) {
      this.strategy = strategy;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder failover(FailoverPolicy failover) {
      this.failover = failover;
      return this;
    }

    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    public Builder hedging(HedgingPolicy hedging) {
      this.hedging = hedging;
      return this;
    }

    /** Opt-in: restart a stream broken after its first event on another target, announced by a Reset event. */
    public Builder streamRestart(boolean streamRestart) {
      this.streamRestart = streamRestart;
      return this;
    }

    public RoutingPolicy build() {
      return new RoutingPolicy(strategy, retry, failover, timeouts, hedging, streamRestart);
    }
  }
}
