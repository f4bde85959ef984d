package dev.switchboard.internal;

import dev.switchboard.TargetRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every target's health (circuit, bulkhead, cooldown, quota, latency), one entry per target. One
 * table per switchboard, shared by the switchboards made from it with {@code newBuilder()}, so
 * that a circuit opened through one is open in all of them. A target keeps the policies it was
 * first made with.
 */
public final class TargetHealthTable {
  final Map<TargetRef, TargetHealth> byTarget = new ConcurrentHashMap<>();
}
