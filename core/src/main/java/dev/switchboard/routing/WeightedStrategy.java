package dev.switchboard.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Weighted random order without replacement (Efraimidis–Spirakis): each target draws the key
 * {@code -ln(u) / weight}; ascending keys give the first target with probability
 * weight / total, and the same rule among the rest for failover. Weight 0 sorts last.
 */
final class WeightedStrategy implements RoutingStrategy {

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    RandomGenerator random = request.random();
    double[] key = new double[candidates.size()];
    for (int i = 0; i < key.length; i++) {
      int w = candidates.get(i).target().weight();
      // 1 - nextDouble() is in (0, 1], so the log is finite.
      key[i] = w <= 0 ? Double.POSITIVE_INFINITY : -Math.log(1.0 - random.nextDouble()) / w;
    }
    return Ordering.byKey(candidates, key);
  }

  @Override
  public String name() {
    return "weighted";
  }
}
