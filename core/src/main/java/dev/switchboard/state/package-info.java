/**
 * State about targets that several Switchboard instances (pods of one application) can share: quota
 * counters, cooldown deadlines and quota-exhausted deadlines. The default, {@link SharedState#LOCAL},
 * shares nothing and costs nothing. {@code switchboard-redis} implements it on Redis.
 *
 * <p>What is shared and what stays local, and why:
 *
 * <ul>
 *   <li><b>Shared</b>: requests and tokens counted against a configured per-minute limit (so a
 *       quota of 100 rpm across 20 pods admits about 100, not 2,000), a 429 cooldown, and a
 *       quota-exhausted deadline from a Retry-After — facts about the provider's account, the same
 *       for every pod.
 *   <li><b>Hinted</b>: when an instance's circuit closes after a successful probe, the others hear
 *       that the target recovered; an open circuit opened before that probes at once instead of
 *       waiting out its interval. A hint only ever shortens a wait: it never opens a circuit.
 *   <li><b>Local</b>: each circuit breaker's sliding window, bulkheads, latency statistics and the
 *       provider's {@code x-ratelimit-*} readings (every pod reads them off its own responses). A
 *       failure seen by one pod can come from that pod (its network, its node): sharing breaker
 *       windows lets one bad pod open every pod's circuit, the known failure mode of distributed
 *       breakers.
 * </ul>
 *
 * <p>The request path never waits for the store: reads come from local memory, writes are sent
 * asynchronously, and when the store is unreachable each instance falls back to its own counts.
 */
package dev.switchboard.state;
