package dev.switchboard.examples.demo;

import dev.switchboard.examples.sim.SimulatedEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a demo run did: its steps (with their checks), the summary, and what each simulator saw (none for real runs). */
public record DemoReport(List<StepRecord> steps, Summary summary, Map<String, SimulatedEndpoint.Stats> simulators) {
  public DemoReport {
    steps = List.copyOf(steps);
    Objects.requireNonNull(summary, "summary == null");
    simulators = Map.copyOf(simulators);
  }

  /** Whether every step behaved as it should. */
  public boolean ok() {
    return steps.stream().allMatch(StepRecord::ok);
  }
}
