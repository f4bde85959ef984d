package dev.switchboard;

/**
 * Why routing passed over a target without calling it; a small fixed set, so it can label
 * metrics. The attempt trace's note and the response's warnings carry the detailed text.
 */
public enum SkipReason {
  /** The target's circuit breaker is open. */
  CIRCUIT_OPEN,
  /** The target answered 429 recently and is cooling down for its Retry-After. */
  COOLING_DOWN,
  /** The target's known request or token quota is exhausted. */
  QUOTA_EXHAUSTED,
  /** The target is at its limit of concurrent calls. */
  BULKHEAD_FULL,
  /** The target cannot serve this request: tools, images, JSON schema, streaming or embeddings. */
  CAPABILITY,
  /** The request does not fit the target's context window (or not better than a target that already failed). */
  CONTEXT_WINDOW
}
