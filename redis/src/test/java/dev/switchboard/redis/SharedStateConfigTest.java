package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.testkit.Eventually;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code shared-state: {redis: {...}}} in a YAML file: the store made, used, closed, and its errors. */
class SharedStateConfigTest {

  private static Switchboard.Builder load(String yaml, Map<String, String> env) {
    return ConfigLoader.withEnvironment(env).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String yaml(String sharedState) {
    return """
        deployments:
          primary: {type: mock, reply: from-primary, limits: {requests-per-minute: 100}}
          fallback: {type: mock, reply: from-fallback}
        models:
          chat:
            targets: [{deployment: primary, model: m}, {deployment: fallback, model: m}]
        shared-state:
        """ + sharedState;
  }

  @Test
  void aSwitchboardFromYamlSharesThroughRedisAndClosesItsStore() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String namespace = "yaml-" + UUID.randomUUID();
      String config = yaml("  redis: {uri: '${REDIS_URL}', namespace: " + namespace + ", command-timeout: 200ms, refresh-interval: 100ms}\n");
      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        long clientsBefore = c.sync().clientList().lines().count();
        try (Switchboard sb = load(config, Map.of("REDIS_URL", redis.uri())).build()) {
          Eventually.await("the store connected", Duration.ofSeconds(10),
              () -> c.sync().clientList().lines().count() > clientsBefore);
          for (int n = 0; n < 3; n++) assertThat(sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("from-primary");
          Eventually.await("sends counted in Redis", Duration.ofSeconds(10),
              () -> !c.sync().keys("switchboard:{" + namespace + ":primary/m}:r:*").isEmpty());
        }
        Eventually.await("the store's connection closed with the switchboard", Duration.ofSeconds(10),
            () -> c.sync().clientList().lines().count() == clientsBefore);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void badSettingsAreReportedWithTheirPathAndNeverTheUri() {
    String config = yaml("  redis: {urii: 'redis://user:hunter2secret@127.0.0.1:1', command-timeout: soon}\n");
    assertThatThrownBy(() -> load(config, Map.of()).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shared-state.redis.urii: unknown key; did you mean 'uri'?")
        .hasMessageContaining("shared-state.redis.command-timeout: 'soon' is not a duration")
        .hasMessageContaining("shared-state.redis.uri: missing")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2secret"));
    assertThatThrownBy(() -> load(yaml("  redis: {uri: 'http://user:hunter2secret@host'}\n"), Map.of()).build())
        .hasMessageContaining("must start with redis://")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2secret"));
  }

  @Test
  void aMisspelledStoreGetsTheNearestName() {
    assertThatThrownBy(() -> load(yaml("  reddis: {uri: 'redis://127.0.0.1:1'}\n"), Map.of()).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown shared-state store 'reddis'")
        .hasMessageContaining("did you mean 'redis'");
  }
}
