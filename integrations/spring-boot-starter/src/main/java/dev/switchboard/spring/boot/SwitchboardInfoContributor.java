package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.TargetStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code switchboard} to {@code /actuator/info}: each model alias with its targets in
 * declaration order ({@code deployment/model}), and each target's provider type. Names and types
 * only: no endpoint, key or other setting is shown.
 */
public final class SwitchboardInfoContributor implements InfoContributor {
  private final Switchboard switchboard;
  private final Map<String, List<String>> models;

  SwitchboardInfoContributor(Switchboard switchboard, Map<String, Object> tree) {
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard == null");
    this.models = models(tree);
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> targets = new LinkedHashMap<>();
    for (TargetStatus t : switchboard.targets()) {
      targets.put(t.target().deployment() + "/" + t.target().model(), t.target().provider());
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("models", models);
    info.put("targets", targets);
    builder.withDetail("switchboard", info);
  }

  private static Map<String, List<String>> models(Map<String, Object> tree) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (!(tree.get("models") instanceof Map<?, ?> models)) return out;
    models.forEach((alias, value) -> {
      List<String> names = new ArrayList<>();
      if (value instanceof Map<?, ?> a && a.get("targets") instanceof List<?> targets) {
        for (Object t : targets) {
          if (t instanceof Map<?, ?> m) names.add(m.get("deployment") + "/" + m.get("model"));
        }
      }
      out.put(String.valueOf(alias), List.copyOf(names));
    });
    return out;
  }
}
