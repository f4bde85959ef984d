package dev.switchboard.state;

import dev.switchboard.TargetRef;
import java.time.Clock;

/**
 * Where Switchboard keeps what it learns about a target when several instances should share it.
 * See the package documentation for what is shared. Implementations must never block the caller
 * of any method here: they answer from memory and send updates in the background.
 *
 * <p>A store given to {@code Switchboard.Builder.sharedState} is not closed by the switchboard;
 * its owner closes it after every switchboard using it.
 */
public interface SharedState extends AutoCloseable {

  /** Shares nothing: every instance keeps its own counts, as without a store. */
  SharedState LOCAL = (target, clock) -> null;

  /**
   * The shared view of one target, called once per target when a switchboard is built; null
   * when nothing is shared for it. {@code clock} is the switchboard's clock: deadlines passed to and
   * read from the view are epoch milliseconds on it.
   */
  SharedTarget target(TargetRef target, Clock clock);

  /** Releases connections and threads. Stores given to the builder are closed by their owner. */
  @Override
  default void close() {}
}
