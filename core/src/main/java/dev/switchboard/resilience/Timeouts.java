package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The deadlines of a call. A call has one deadline, retries, backoff and failover included:
 * {@code ChatRequest.timeout} when the request sets one, else the {@link #call()} of its alias's
 * routing policy, else that of the switchboard's default routing policy, else
 * {@link #DEFAULT_CALL}. Every attempt gets {@code min(attempt, what is left)}, so no
 * call outlives its deadline whatever a provider does.
 *
 * <p>For a stream the call deadline bounds the time until the first event reaches the caller;
 * {@link #firstEvent()} (else {@link #attempt()}) bounds each attempt's wait for its first event,
 * so a silent target is abandoned for the next one; after the first event, {@link #streamIdle()}
 * bounds every gap between events (time spent waiting for a slow consumer does not count) and
 * {@link #streamTotal()}, when set, the whole stream from the call's start.
 *
 * <p>When neither is set, an attempt that still has another target to fail over to waits at most
 * {@link #derivedLimitMillis a third of the call's deadline, at least 10 s} for its first event
 * (streams) or its response (other calls): with the 120 s default deadline a silent target is
 * left after 40 s and the fallback gets the remaining 80 s. The last target left gets all the
 * time that remains. A reasoning model can think longer than that before its first token; raise
 * {@code first-event} / {@code attempt} for its alias.
 */
public record Timeouts(
    Optional<Duration> call, Optional<Duration> attempt, Optional<Duration> firstEvent, Duration streamIdle,
    Optional<Duration> streamTotal) {

  /** The deadline of a call when neither its request nor any routing policy sets one: 120 s. */
  public static final Duration DEFAULT_CALL = Duration.ofSeconds(120);

  /** The shortest derived first-event / response limit. */
  public static final Duration DERIVED_FLOOR = Duration.ofSeconds(10);

  /** No call deadline of its own (the default routing policy's, else {@link #DEFAULT_CALL}, applies), 60 s stream idle limit. */
  public static final Timeouts DEFAULTS = builder().build();

  public Timeouts {
    Objects.requireNonNull(call, "call == null").ifPresent(d -> Checks.positive(d, "timeouts.call"));
    Objects.requireNonNull(attempt, "attempt == null").ifPresent(d -> Checks.positive(d, "timeouts.attempt"));
    Objects.requireNonNull(firstEvent, "firstEvent == null").ifPresent(d -> Checks.positive(d, "timeouts.first-event"));
    Checks.positive(streamIdle, "timeouts.stream-idle");
    Objects.requireNonNull(streamTotal, "streamTotal == null").ifPresent(d -> Checks.positive(d, "timeouts.stream-total"));
  }

  /** The limit derived from a call deadline of {@code deadlineMillis}: a third of it, at least {@link #DERIVED_FLOOR}. */
  public static long derivedLimitMillis(long deadlineMillis) {
    return Math.max(DERIVED_FLOOR.toMillis(), deadlineMillis / 3);
  }

  /**
   * How long one attempt may wait for its first event ({@code stream}) or its response, in ms,
   * or {@link Long#MAX_VALUE} for no limit beyond the call deadline: the configured
   * {@link #firstEvent()} (streams) or {@link #attempt()}, else — only while
   * {@code anotherTargetLeft} — {@link #derivedLimitMillis} of {@code deadlineMillis}.
   */
  public long firstResponseLimitMillis(boolean stream, long deadlineMillis, boolean anotherTargetLeft) {
    Optional<Duration> set = stream ? firstEvent.or(() -> attempt) : attempt;
    if (set.isPresent()) return set.get().toMillis();
    return anotherTargetLeft ? derivedLimitMillis(deadlineMillis) : Long.MAX_VALUE;
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
    private Optional<Duration> streamTotal = Optional.empty();

    private Builder() {}

    private Builder(Timeouts t) {
      call = t.call;
      attempt = t.attempt;
      firstEvent = t.firstEvent;
      streamIdle = t.streamIdle;
      streamTotal = t.streamTotal;
    }

    /** The whole call's deadline (overridden by a request's own timeout). */
    public Builder call(Duration call) {
      this.call = Optional.of(call);
      return this;
    }

    /**
     * The longest one attempt may take (for a stream: wait for its first event, when
     * {@link #firstEvent} is unset); shorter than the call deadline leaves room for failover.
     */
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

    /**
     * For streams: the longest a whole stream may run, from the call's start to its last event.
     * A stream still running then is cancelled and ends with TIMEOUT — a
     * {@code StreamInterruptedException} with the partial output once text arrived — and is never
     * restarted elsewhere. Unset by default.
     */
    public Builder streamTotal(Duration streamTotal) {
      this.streamTotal = Optional.of(streamTotal);
      return this;
    }

    public Timeouts build() {
      return new Timeouts(call, attempt, firstEvent, streamIdle, streamTotal);
    }
  }
}
