package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.TargetStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of every Switchboard target, as contributor {@code switchboard}: per target
 * ({@code deployment/model}) its circuit state, cooldown left after a 429, last error kind and
 * time, and whether routing would try it now. UP while at least one target is available (the
 * others are what failover is for), DOWN when none is.
 */
public final class SwitchboardHealthIndicator implements HealthIndicator {
  private final Switchboard switchboard;

  public SwitchboardHealthIndicator(Switchboard switchboard) {
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard == null");
  }

  @Override
  public Health health() {
    List<TargetStatus> targets = switchboard.targets();
    Map<String, Object> details = new LinkedHashMap<>();
    int available = 0;
    for (TargetStatus t : targets) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("provider", t.target().provider());
      d.put("circuit", t.circuit().name());
      d.put("cooldownRemaining", t.cooldownRemaining().toString());
      t.lastErrorKind().ifPresent(k -> d.put("lastErrorKind", k.name()));
      t.lastErrorAt().ifPresent(at -> d.put("lastErrorAt", at.toString()));
      d.put("available", t.available());
      if (t.available()) available++;
      details.put(t.target().deployment() + "/" + t.target().model(), d);
    }
    Health.Builder b = available > 0 ? Health.up() : Health.down();
    return b.withDetail("available", available + " of " + targets.size()).withDetail("targets", details).build();
  }
}
