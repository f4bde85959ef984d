package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Core alone has no shared-state store: the section names the artifact that provides one. */
class SharedStateConfigWithoutStoreTest {

  @Test
  void aRedisSectionWithoutTheRedisJarNamesTheArtifact() {
    String yaml = """
        deployments:
          a: {type: mock, reply: hi}
        models:
          chat: {targets: [{deployment: a, model: m}]}
        shared-state:
          redis: {uri: 'redis://127.0.0.1:6379'}
        """;
    assertThatThrownBy(() -> ConfigLoader.create().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shared-state.redis")
        .hasMessageContaining("dev.switchboard:switchboard-redis");
  }
}
