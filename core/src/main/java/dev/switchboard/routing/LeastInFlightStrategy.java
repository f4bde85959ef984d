package dev.switchboard.routing;

import java.util.List;

/** Fewest attempts in flight first; priority among equals. */
final class LeastInFlightStrategy implements RoutingStrategy {

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    double[] key = new double[candidates.size()];
    for (int i = 0; i < key.length; i++) key[i] = candidates.get(i).stats().inFlight();
    return Ordering.byKey(candidates, key);
  }

  @Override
  public String name() {
    return "least-in-flight";
  }
}
