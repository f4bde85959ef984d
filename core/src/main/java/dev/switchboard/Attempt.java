package dev.switchboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a call's trace: a target that was tried (or skipped), when, for how long, and how
 * it ended. Failed attempts keep their {@link SwitchboardException}; skipped ones say why.
 */
public record Attempt(
    TargetRef target,
    Instant start,
    Duration duration,
    Outcome outcome,
    Optional<SwitchboardException> error,
    boolean hedge,
    Optional<String> note) {

  /** How an attempt ended. */
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    /** Not tried: circuit open, cooling down, quota exhausted, capability or context mismatch. */
    SKIPPED,
    /** Abandoned by Switchboard: a hedge that lost, a deadline, or the caller cancelled. */
    CANCELLED
  }

  public Attempt {
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(duration, "duration == null");
    Objects.requireNonNull(outcome, "outcome == null");
    Objects.requireNonNull(error, "error == null");
    Objects.requireNonNull(note, "note == null");
  }

  public static Attempt succeeded(TargetRef target, Instant start, Duration duration, boolean hedge) {
    return new Attempt(target, start, duration, Outcome.SUCCEEDED, Optional.empty(), hedge, Optional.empty());
  }

  public static Attempt failed(TargetRef target, Instant start, Duration duration, SwitchboardException error, boolean hedge) {
    return new Attempt(target, start, duration, Outcome.FAILED, Optional.of(error), hedge, Optional.empty());
  }

  public static Attempt skipped(TargetRef target, Instant at, String reason) {
    return new Attempt(target, at, Duration.ZERO, Outcome.SKIPPED, Optional.empty(), false, Optional.of(reason));
  }

  public static Attempt cancelled(TargetRef target, Instant start, Duration duration, boolean hedge, String reason) {
    return new Attempt(target, start, duration, Outcome.CANCELLED, Optional.empty(), hedge, Optional.of(reason));
  }

  /** The error kind of a failed attempt. */
  public Optional<ErrorKind> errorKind() {
    return error.map(SwitchboardException::kind);
  }

  /** The Retry-After the target sent with its failure. */
  public Optional<Duration> retryAfter() {
    return error.flatMap(SwitchboardException::retryAfter);
  }

  @Override
  public String toString() {
    return describe(true);
  }

  /** {@link #toString()}, with the error's detail or, when it is printed elsewhere, without. */
  String describe(boolean withDetail) {
    StringBuilder sb = new StringBuilder().append(target).append(' ').append(outcome);
    if (hedge) sb.append(" (hedge)");
    if (outcome != Outcome.SKIPPED) sb.append(" after ").append(duration.toMillis()).append(" ms");
    error.ifPresent(e -> sb.append(": ").append(e.kind()).append(withDetail ? " - " + e.detail() : "")
        .append(e.httpStatus().isPresent() ? " (HTTP " + e.httpStatus().getAsInt() + ")" : ""));
    note.ifPresent(n -> sb.append(": ").append(n));
    return sb.toString();
  }
}
