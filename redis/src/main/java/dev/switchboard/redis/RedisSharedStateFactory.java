package dev.switchboard.redis;

import dev.switchboard.state.SharedState;
import dev.switchboard.state.SharedStateFactory;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code shared-state: {redis: {uri: ${REDIS_URL}, namespace: checkout, command-timeout: 250ms,
 * refresh-interval: 500ms}}}: a {@link RedisSharedState} made from configuration.
 */
public final class RedisSharedStateFactory implements SharedStateFactory {
  private static final Set<String> SETTINGS = Set.of("uri", "namespace", "command-timeout", "refresh-interval");
  private static final Set<String> DURATIONS = Set.of("command-timeout", "refresh-interval");

  /** The factory {@code ServiceLoader} instantiates. */
  public RedisSharedStateFactory() {}

  @Override
  public String type() {
    return "redis";
  }

  @Override
  public Set<String> settings() {
    return SETTINGS;
  }

  @Override
  public Set<String> durationSettings() {
    return DURATIONS;
  }

  @Override
  public List<String> validate(Map<String, String> settings) {
    List<String> problems = new ArrayList<>();
    String uri = settings.get("uri");
    if (uri == null || uri.isBlank()) {
      problems.add("uri: missing (e.g. uri: ${REDIS_URL} with REDIS_URL=redis://host:6379)");
    } else if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      problems.add("uri: must start with redis:// or rediss://"); // never the value: it may hold a password
    }
    String namespace = settings.get("namespace");
    if (namespace != null && namespace.isBlank()) problems.add("namespace: is blank");
    for (String key : DURATIONS) {
      String d = settings.get(key);
      if (d == null) continue;
      try {
        Duration parsed = Duration.parse(d);
        if (parsed.isNegative() || parsed.isZero()) problems.add(key + ": must be positive");
      } catch (DateTimeParseException e) {
        problems.add(key + ": not a duration");
      }
    }
    return problems;
  }

  @Override
  public SharedState create(Map<String, String> settings) {
    RedisSharedState.Builder b = RedisSharedState.builder().uri(settings.get("uri"));
    if (settings.containsKey("namespace")) b.namespace(settings.get("namespace"));
    if (settings.containsKey("command-timeout")) b.commandTimeout(Duration.parse(settings.get("command-timeout")));
    if (settings.containsKey("refresh-interval")) b.refreshInterval(Duration.parse(settings.get("refresh-interval")));
    return b.build();
  }
}
