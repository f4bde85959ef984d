package dev.switchboard.examples.demo;

import java.util.List;
import java.util.Objects;

/** One step of the walkthrough: its title, its calls, and whether each behaved as the step expects. */
public record StepRecord(String title, List<CallRecord> calls, List<String> unmet) {
  public StepRecord {
    Objects.requireNonNull(title, "title == null");
    calls = List.copyOf(calls);
    unmet = List.copyOf(unmet);
  }

  public boolean ok() {
    return unmet.isEmpty();
  }
}
