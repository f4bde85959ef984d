package dev.switchboard;

import dev.switchboard.resilience.CircuitState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Receives the events of one call: start, each target chosen or skipped, each attempt's start and
 * end, retries, failovers, hedges, circuit-breaker transitions, the first stream event, and the
 * end. One listener is created per call by the {@link Factory} given to the switchboard builder
 * (none by default); metrics and tracing are built on it.
 *
 * <p>Callbacks for one call never run concurrently, but may come from different threads. They
 * run on Switchboard's hot path: keep them short, never block, never call back into the
 * switchboard. An exception thrown by a callback is logged and swallowed; it never breaks the
 * call. All methods have empty defaults.
 */
public interface CallListener {

  /** The listener that ignores everything. */
  CallListener NONE = new CallListener() {};

  /** What is known about a call when it starts. */
  record CallInfo(String operation, String alias, boolean streaming, Instant start) {
    /** {@code operation} for chat calls, streamed or not. */
    public static final String CHAT = "chat";
    /** {@code operation} for embedding calls. */
    public static final String EMBEDDINGS = "embeddings";

    public CallInfo {
      Objects.requireNonNull(operation, "operation == null");
      Objects.requireNonNull(alias, "alias == null");
      Objects.requireNonNull(start, "start == null");
    }
  }

  /**
   * How a call ended: the target that served it (empty on failure), its duration, every attempt,
   * the usage and model reported (when it succeeded), its cost in USD (when the serving target has
   * a {@link Target.Price} and usage was reported), and the final error (when it failed).
   */
  record CallEnd(
      Optional<TargetRef> servedBy,
      Duration duration,
      List<Attempt> attempts,
      Optional<Usage> usage,
      Optional<String> responseModel,
      Optional<Double> costUsd,
      Optional<SwitchboardException> error) {
    public CallEnd {
      Objects.requireNonNull(servedBy, "servedBy == null");
      Objects.requireNonNull(duration, "duration == null");
      attempts = List.copyOf(attempts);
      Objects.requireNonNull(usage, "usage == null");
      Objects.requireNonNull(responseModel, "responseModel == null");
      Objects.requireNonNull(costUsd, "costUsd == null");
      Objects.requireNonNull(error, "error == null");
    }

    public boolean succeeded() {
      return error.isEmpty();
    }
  }

  /** Creates the listener of one call; called on the caller's thread, must be fast and not throw. */
  @FunctionalInterface
  interface Factory {
    Factory NONE = call -> CallListener.NONE;

    CallListener create(CallInfo call);
  }

  default void callStart(CallInfo call) {}

  /** Routing picked {@code target} for the next attempt. */
  default void targetChosen(TargetRef target) {}

  /** {@code target} was passed over for {@code reason}; {@code detail} is the text the trace's note carries. */
  default void targetSkipped(TargetRef target, SkipReason reason, String detail) {}

  /** Attempt number {@code attempt} (from 1 across the call) starts on {@code target}. */
  default void attemptStart(TargetRef target, int attempt, boolean hedge) {}

  /** An attempt ended: succeeded, failed, or cancelled. */
  default void attemptEnd(Attempt attempt) {}

  /** {@code target} will be tried again after {@code delay}, because it failed with {@code cause}. */
  default void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {}

  /** The call moves from {@code from} to {@code to} because {@code from} failed with {@code cause}. */
  default void failover(TargetRef from, TargetRef to, ErrorKind cause) {}

  /** A hedge attempt starts on {@code hedge} while {@code primary} is still running. */
  default void hedgeStarted(TargetRef primary, TargetRef hedge) {}

  /** Of two or more concurrent attempts, the one on {@code winner} answered first; the others are cancelled. */
  default void hedgeWon(TargetRef winner, boolean hedge) {}

  /** A retry or hedge was not made because the switchboard's retry budget is spent. */
  default void retryBudgetExhausted(TargetRef target) {}

  /** This call's attempt moved {@code target}'s circuit breaker from one state to another. */
  default void circuitStateChanged(TargetRef target, CircuitState from, CircuitState to) {}

  /** A stream's first event reached the caller, {@code timeToFirstEvent} after the call started. */
  default void firstEvent(TargetRef target, Duration timeToFirstEvent) {}

  /**
   * A stream event after the first reached the caller, {@code nanosSincePrevious} after the one
   * before it (measured with {@link System#nanoTime()}). The one callback that runs on the
   * provider's reading thread, possibly while another callback of the same call runs: it must be
   * thread-safe and cheap (it is on the per-chunk path). Not called when no listener is set.
   */
  default void streamChunk(TargetRef target, long nanosSincePrevious) {}

  /** The call is over. */
  default void callEnd(CallEnd end) {}
}
