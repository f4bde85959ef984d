package dev.switchboard.state;

/**
 * One target's shared state, as seen by one instance. Writes are fire-and-forget; reads answer
 * from local memory, refreshed from the store in the background. Times are epoch milliseconds on
 * the switchboard's clock; implementations translate to and from the store's own time, so the
 * clocks of different instances need not agree.
 */
public interface SharedTarget {

  /** This instance sent {@code requests} requests (0 for a later correction) costing about {@code tokens} tokens. */
  void sent(int requests, long tokens);

  /** The target asked to be left alone (a 429) until {@code until}. */
  void coolDownUntil(long until);

  /** The target's quota is used up until {@code until} (a quota error with its Retry-After). */
  void quotaExhaustedUntil(long until);

  /** The latest cooldown deadline any instance reported, {@link Long#MIN_VALUE} if none. */
  long cooldownUntil();

  /** The latest quota-exhausted deadline any instance reported, {@link Long#MIN_VALUE} if none. */
  long quotaExhaustedUntil();

  /** Requests all instances sent in the last minute, or -1 when unknown (for example, store unreachable). */
  long requestsInLastMinute(long now);

  /** Tokens all instances spent in the last minute, or -1 when unknown. */
  long tokensInLastMinute(long now);

  /**
   * This instance's circuit for the target closed again after a successful probe: the target is
   * back. Other instances whose circuit is open may probe it now instead of waiting out their open
   * interval. A hint only ever shortens a wait; it never opens a circuit.
   */
  default void circuitRecovered() {}

  /** When an instance last reported the target recovered, {@link Long#MIN_VALUE} if none known. */
  default long recoveredAt() {
    return Long.MIN_VALUE;
  }
}
