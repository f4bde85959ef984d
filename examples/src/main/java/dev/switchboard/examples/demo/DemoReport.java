package dev.switchboard.examples.demo;

import dev.switchboard.examples.sim.SimulatedEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a demo run did: its steps (with their checks), the summary, and what each simulator saw —
 * its counts and the path of every request that reached it (none for real runs).
 */
public record DemoReport(List<StepRecord> steps, Summary summary, Map<String, SimulatedEndpoint.Stats> simulators,
    Map<String, List<String>> requestPaths) {
  public DemoReport {
    steps = List.copyOf(steps);
    Objects.requireNonNull(summary, "summary == null");
    simulators = Map.copyOf(simulators);
    requestPaths = Map.copyOf(requestPaths);
  }

  /** A report without request paths (real runs). */
  public DemoReport(List<StepRecord> steps, Summary summary, Map<String, SimulatedEndpoint.Stats> simulators) {
    this(steps, summary, simulators, Map.of());
  }

  /** Whether every step behaved as it should. */
  public boolean ok() {
    return steps.stream().allMatch(StepRecord::ok);
  }
}
