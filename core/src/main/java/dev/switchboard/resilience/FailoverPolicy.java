package dev.switchboard.resilience;

import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which failures move a call on to the next target.
 *
 * <p>By default a call fails over after AUTHENTICATION, PERMISSION and NOT_FOUND (a bad key or a
 * missing deployment on one cloud must not block the other), RATE_LIMITED, QUOTA_EXCEEDED,
 * TIMEOUT, UNAVAILABLE, SERVER_ERROR, NETWORK, PROTOCOL and CONTEXT_LENGTH_EXCEEDED — the last
 * only to a target not known to have a smaller window: one whose context window is unknown, or
 * known to be larger than both the failed target's and the request's estimate. CONTENT_FILTERED
 * fails over only when opted in (a refused prompt is usually refused everywhere, and trying it
 * elsewhere should be a decision). INVALID_REQUEST never fails over: the request is wrong for
 * every target.
 *
 * <p>{@link #onContentFilterFinish()} (opt-in) also treats a successful answer whose finish
 * reason is {@link FinishReason#CONTENT_FILTER} as a reason to try the next target; when no
 * target is left, that answer is returned. It applies to non-streamed calls only: a stream's
 * finish reason arrives after its text has reached the caller.
 */
public record FailoverPolicy(Set<ErrorKind> failoverOn, boolean onContentFilterFinish) {

  /**
   * The kinds that fail over by default: those whose {@link ErrorKind#failoverByDefault()} is
   * true (the enum holds the one default table).
   */
  public static final Set<ErrorKind> DEFAULT_FAILOVER_ON = Checks.kindsWhere(ErrorKind::failoverByDefault);

  public static final FailoverPolicy DEFAULTS = new FailoverPolicy(DEFAULT_FAILOVER_ON, false);

  /** Never moves to another target. */
  public static final FailoverPolicy NONE = new FailoverPolicy(Set.of(), false);

  public FailoverPolicy {
    failoverOn = Checks.kinds(failoverOn, "failover.failover-on");
    if (failoverOn.contains(ErrorKind.INVALID_REQUEST)) {
      throw new IllegalArgumentException("failover.failover-on may not contain INVALID_REQUEST: no target accepts an invalid request");
    }
  }

  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether a failure of {@code kind} moves the call on to another target. */
  public boolean failsOver(ErrorKind kind) {
    return failoverOn.contains(kind);
  }

  /** Builds a {@link FailoverPolicy}, starting from the defaults. */
  public static final class Builder {
    private final EnumSet<ErrorKind> kinds = EnumSet.noneOf(ErrorKind.class);
    private boolean onContentFilterFinish;

    private Builder(FailoverPolicy from) {
      kinds.addAll(from.failoverOn);
      onContentFilterFinish = from.onContentFilterFinish;
    }

    /** Replaces the set of kinds that fail over. */
    public Builder failoverOn(Collection<ErrorKind> failoverOn) {
      Objects.requireNonNull(failoverOn, "failoverOn == null");
      kinds.clear();
      kinds.addAll(failoverOn);
      return this;
    }

    /** Opt-in: a prompt refused by one provider's content filter is tried on the next target. */
    public Builder contentFiltered(boolean enabled) {
      return toggle(ErrorKind.CONTENT_FILTERED, enabled);
    }

    /** On by default: a prompt too long for one target is tried on a target not known to have a smaller context window. */
    public Builder contextLengthExceeded(boolean enabled) {
      return toggle(ErrorKind.CONTEXT_LENGTH_EXCEEDED, enabled);
    }

    /** Opt-in: an answer that finished with {@link FinishReason#CONTENT_FILTER} is tried on the next target. */
    public Builder onContentFilterFinish(boolean enabled) {
      this.onContentFilterFinish = enabled;
      return this;
    }

    private Builder toggle(ErrorKind kind, boolean enabled) {
      if (enabled) kinds.add(kind);
      else kinds.remove(kind);
      return this;
    }

    public FailoverPolicy build() {
      return new FailoverPolicy(kinds, onContentFilterFinish);
    }
  }
}
