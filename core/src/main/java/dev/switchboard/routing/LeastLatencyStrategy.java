package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Lowest decaying average latency first (time to first event for streams). Unmeasured targets
 * sort first so every target gets sampled; with probability {@code exploration} a random other
 * target is moved to the front, so a target that recovered or sped up is noticed again.
 */
final class LeastLatencyStrategy implements RoutingStrategy {
  private final double exploration;

  LeastLatencyStrategy(double exploration) {
    if (!(exploration >= 0 && exploration <= 1)) {
      throw new IllegalArgumentException("least-latency exploration must be in [0, 1], got " + exploration);
    }
    this.exploration = exploration;
  }

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    double[] key = new double[candidates.size()];
    for (int i = 0; i < key.length; i++) {
      TargetStats s = candidates.get(i).stats();
      double ms = request.streaming() ? s.timeToFirstEventMillis() : s.latencyMillis();
      key[i] = Double.isNaN(ms) ? -1 : ms;
    }
    List<Candidate> sorted = Ordering.byKey(candidates, key);
    if (sorted.size() > 1 && exploration > 0 && request.random().nextDouble() < exploration) {
      int pick = 1 + request.random().nextInt(sorted.size() - 1);
      List<Candidate> explored = new ArrayList<>(sorted);
      explored.add(0, explored.remove(pick));
      return explored;
    }
    return sorted;
  }

  @Override
  public String name() {
    return "least-latency";
  }
}
