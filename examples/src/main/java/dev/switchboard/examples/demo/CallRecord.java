package dev.switchboard.examples.demo;

import dev.switchboard.Attempt;
import dev.switchboard.ErrorKind;
import dev.switchboard.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One call the demo made: who served it (empty when it failed), every attempt, how long it took,
 * the tokens, the answer text, and the retry waits and circuit changes it caused.
 */
public record CallRecord(
    String label,
    Optional<String> servedBy,
    List<Attempt> attempts,
    Duration latency,
    Usage usage,
    String text,
    Optional<ErrorKind> failure,
    List<Duration> retryDelays,
    List<String> circuitChanges) {

  public CallRecord {
    Objects.requireNonNull(label, "label == null");
    Objects.requireNonNull(servedBy, "servedBy == null");
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(latency, "latency == null");
    Objects.requireNonNull(usage, "usage == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(failure, "failure == null");
    retryDelays = List.copyOf(retryDelays);
    circuitChanges = List.copyOf(circuitChanges);
  }

  /** The attempts as {@code deployment:OUTCOME[:KIND]} strings, for checks and tests. */
  public List<String> attemptSummary() {
    return attempts.stream().map(a -> a.target().deployment() + ":" + a.outcome()
        + a.errorKind().map(k -> ":" + k).orElse("")).toList();
  }
}
