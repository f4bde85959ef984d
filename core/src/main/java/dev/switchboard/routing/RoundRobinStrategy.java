package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rotates the first choice over the targets with a positive weight (in priority order), the
 * others following in rotation; weight-0 targets come last. The counter is this instance's.
 */
final class RoundRobinStrategy implements RoutingStrategy {
  private final AtomicLong counter = new AtomicLong();

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    List<Candidate> sorted = Ordering.byPriority(candidates);
    int active = 0;
    for (Candidate c : sorted) if (c.target().weight() > 0) active++;
    List<Candidate> out = new ArrayList<>(sorted.size());
    if (active > 0) {
      int start = (int) Math.floorMod(counter.getAndIncrement(), (long) active);
      List<Candidate> rotating = new ArrayList<>(active);
      for (Candidate c : sorted) if (c.target().weight() > 0) rotating.add(c);
      for (int i = 0; i < active; i++) out.add(rotating.get((start + i) % active));
    }
    for (Candidate c : sorted) if (c.target().weight() <= 0) out.add(c);
    return out;
  }

  @Override
  public String name() {
    return "round-robin";
  }
}
