package dev.switchboard.internal;

import dev.switchboard.Target;
import dev.switchboard.TargetRef;
import dev.switchboard.routing.Candidate;
import dev.switchboard.routing.TargetStats;
import dev.switchboard.spi.ChatProvider;
import java.util.Optional;

/** One target of one alias: its configuration, provider and shared health. {@code index} is its position in the alias. */
final class AliasTarget implements Candidate {
  final int index;
  final Target target;
  final TargetRef ref;
  final Optional<String> region;
  final ChatProvider provider;
  final TargetHealth health;

  AliasTarget(int index, Target target, TargetRef ref, Optional<String> region, ChatProvider provider, TargetHealth health) {
    this.index = index;
    this.target = target;
    this.ref = ref;
    this.region = region;
    this.provider = provider;
    this.health = health;
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public TargetRef ref() {
    return ref;
  }

  @Override
  public Optional<String> region() {
    return region;
  }

  @Override
  public TargetStats stats() {
    return health;
  }

  @Override
  public String toString() {
    return ref.toString();
  }
}
