package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The deadlines of a call. A call has one deadline, retries, backoff and failover included:
 * {@code ChatRequest.timeout} when the request sets one, else {@link #call()}, else the
 * switchboard's default timeout. Every attempt gets {@code min(attempt, what is left)}, so no
 * call outlives its deadline whatever a provider does.
 *
 * <p>For a stream the call deadline bounds the time until the first event reaches the caller;
 * {@link #firstEvent()} optionally bounds each attempt's wait for its first event (so a silent
 * target is abandoned for the next one early); after the first event, {@link #streamIdle()}
 * bounds every gap between events (time spent waiting for a slow consumer does not count).
 */
public record Timeouts(
    Optional<Duration> call, Optional<Duration> attempt, Optional<Duration> firstEvent, Duration streamIdle) {

  /** No per-alias call deadline (the switchboard default applies), 60 s stream idle limit. */
  public static final Timeouts DEFAULTS = builder().build();

  public Timeouts {
    Objects.requireNonNull(call, "call == null").ifPresent(d -> Checks.positive(d, "timeouts.call"));
    Objects.requireNonNull(attempt, "attempt == null").ifPresent(d -> Checks.positive(d, "timeouts.attempt"));
    Objects.requireNonNull(firstEvent, "firstEvent == null").ifPresent(d -> Checks.positive(d, "timeouts.first-event"));
    Checks.positive(streamIdle, "timeouts.stream-idle");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link Timeouts}. */
  public static final class Builder {
    private Optional<Duration> call = Optional.empty();
    private Optional<Duration> attempt = Optional.empty();
    private Optional<Duration> firstEvent = Optional.empty();
    private Duration streamIdle = Duration.ofSeconds(60);

    private Builder() {}

    private Builder(Timeouts t) {
      call = t.call;
      attempt = t.attempt;
      firstEvent = t.firstEvent;
      streamIdle = t.streamIdle;
    }

    /** The whole call's deadline (overridden by a request's own timeout). */
    public Builder call(Duration call) {
      this.call = Optional.of(call);
      return this;
    }

    /** The longest one attempt may take; shorter than the call deadline leaves room for failover. */
    public Builder attempt(Duration attempt) {
      this.attempt = Optional.of(attempt);
      return this;
    }

    /** For streams: the longest one attempt may wait for its first event. */
    public Builder firstEvent(Duration firstEvent) {
      this.firstEvent = Optional.of(firstEvent);
      return this;
    }

    /** For streams: the longest gap between two events once the stream has started. */
    public Builder streamIdle(Duration streamIdle) {
      this.streamIdle = streamIdle;
      return this;
    }

    public Timeouts build() {
      return new Timeouts(call, attempt, firstEvent, streamIdle);
    }
  }
}
