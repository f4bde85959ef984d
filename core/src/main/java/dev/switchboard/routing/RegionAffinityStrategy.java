package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Targets in the caller's region first, then the rest; both groups in the secondary strategy's order. */
final class RegionAffinityStrategy implements RoutingStrategy {
  private final String region;
  private final RoutingStrategy secondary;

  RegionAffinityStrategy(String region, RoutingStrategy secondary) {
    if (region == null || region.isBlank()) throw new IllegalArgumentException("region-affinity region is blank");
    this.region = region;
    this.secondary = Objects.requireNonNull(secondary, "secondary == null");
  }

  @Override
  public List<Candidate> order(List<Candidate> candidates, RoutingRequest request) {
    List<Candidate> ordered = secondary.order(candidates, request);
    List<Candidate> out = new ArrayList<>(ordered.size());
    for (Candidate c : ordered) if (inRegion(c)) out.add(c);
    for (Candidate c : ordered) if (!inRegion(c)) out.add(c);
    return out;
  }

  private boolean inRegion(Candidate c) {
    return c.region().isPresent() && c.region().get().equalsIgnoreCase(region);
  }

  String region() {
    return region;
  }

  @Override
  public String name() {
    return "region-affinity(" + region + ", " + secondary.name() + ")";
  }
}
