package dev.switchboard.routing;

import dev.switchboard.Target;
import java.util.List;

/** Cheapest expected cost first from the price table; unpriced targets last, by priority. */
final class LowestCostStrategy implements RoutingStrategy {
  private final int assumedOutputTokens;

  LowestCostStrategy(int assumedOutputTokens) {
    if (assumedOutputTokens < 0) throw new IllegalArgumentException("lowest-cost assumed output tokens must be >= 0");
    this.assumedOutputTokens = assumedOutputTokens;
  }

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    int in = request.estimatedInputTokens();
    int out = request.maxOutputTokens().orElse(assumedOutputTokens);
    double[] key = new double[candidates.size()];
    for (int i = 0; i < key.length; i++) {
      Target t = candidates.get(i).target();
      key[i] = t.price().isEmpty() ? Double.POSITIVE_INFINITY
          : in / 1000.0 * t.price().get().inputPer1k() + out / 1000.0 * t.price().get().outputPer1k();
    }
    return Ordering.byKey(candidates, key);
  }

  @Override
  public String name() {
    return "lowest-cost";
  }
}
