package dev.switchboard.routing;

import java.util.List;

/** Most rate-limit quota left first; priority among equals. */
final class QuotaAwareStrategy implements RoutingStrategy {

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    double[] key = new double[candidates.size()];
    for (int i = 0; i < key.length; i++) key[i] = -candidates.get(i).stats().quotaRemaining();
    return Ordering.byKey(candidates, key);
  }

  @Override
  public String name() {
    return "quota-aware";
  }
}
