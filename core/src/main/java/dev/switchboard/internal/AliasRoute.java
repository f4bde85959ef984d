package dev.switchboard.internal;

import dev.switchboard.routing.Candidate;
import dev.switchboard.routing.RoutingPolicy;
import java.util.List;

/**
 * A model alias ready for routing: its policy and its targets, in priority order (so the default
 * strategy returns the list untouched). {@code targets} is also the list handed to strategies.
 */
final class AliasRoute {
  final String name;
  final RoutingPolicy policy;
  final List<Candidate> targets;

  AliasRoute(String name, RoutingPolicy policy, List<AliasTarget> targets) {
    this.name = name;
    this.policy = policy;
    this.targets = List.copyOf(targets);
  }
}
