/**
 * Resilience policy: when a failed attempt is retried ({@link dev.switchboard.resilience.RetryPolicy}),
 * when a call moves to another target ({@link dev.switchboard.resilience.FailoverPolicy}), its
 * deadlines ({@link dev.switchboard.resilience.Timeouts}), hedging, per-target circuit breakers,
 * bulkheads and cooldowns, and the switchboard-wide retry budget. All are immutable values with
 * validated builders; the configuration file maps onto the same types. Resilience4j does the
 * circuit-breaker and bulkhead mechanics; Switchboard's engine is the only retry layer.
 */
package dev.switchboard.resilience;
