package dev.switchboard.routing;

import java.util.List;

/**
 * Lowest priority value first, declaration order among equals. Switchboard hands strategies an
 * alias's targets already in priority order, so the common case returns the input untouched.
 */
final class PriorityStrategy implements RoutingStrategy {

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    for (int i = 1; i < candidates.size(); i++) {
      if (candidates.get(i - 1).target().priority() > candidates.get(i).target().priority()) {
        return Ordering.byPriority(candidates);
      }
    }
    return candidates;
  }

  @Override
  public String name() {
    return "priority";
  }
}
