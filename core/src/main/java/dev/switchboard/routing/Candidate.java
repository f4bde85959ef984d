package dev.switchboard.routing;

import dev.switchboard.Target;
import dev.switchboard.TargetRef;
import java.util.Optional;

/** One target of a model alias as a {@link RoutingStrategy} sees it: its hints and its live stats. */
public interface Candidate {

  /** The configured target: deployment, model, priority, weight, price, context window. */
  Target target();

  /** The target as traces name it. */
  TargetRef ref();

  /** The target's region tag, else its deployment's; empty when neither is set. */
  Optional<String> region();

  TargetStats stats();
}
