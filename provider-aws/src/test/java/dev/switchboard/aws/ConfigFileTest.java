package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration-file form shown in this module's README builds a working Switchboard. */
class ConfigFileTest {
  static final String README_CONFIG = """
      deployments:
        bedrock-west:
          type: bedrock
          region: us-west-2                 # default chain
        bedrock-prod:
          type: bedrock
          region: eu-central-1
          auth: profile
          profile: prod
        bedrock-key:
          type: bedrock
          region: us-east-1
          auth: api-key
          api-key: ${BEDROCK_API_KEY}       # a secret: never echoed
      models:
        chat:
          targets:
            - {deployment: bedrock-key, model: us.amazon.nova-micro-v1:0}
            - {deployment: bedrock-west, model: us.amazon.nova-micro-v1:0}
            - {deployment: bedrock-prod, model: eu.amazon.nova-micro-v1:0}
      """;

  @Test
  void readmeConfigurationBuilds() {
    Switchboard.Builder builder = ConfigLoader.withEnvironment(Map.of("BEDROCK_API_KEY", "bedrock-key-value-123"))
        .load(new ByteArrayInputStream(README_CONFIG.getBytes(StandardCharsets.UTF_8)));
    try (Switchboard sb = builder.build()) {
      assertThat(sb).isNotNull();
    }
  }

  @Test
  void aMisspeltSettingFailsTheLoadNamingItAndTheNearestKey() {
    String bad = README_CONFIG.replace("profile: prod", "profil: prod");
    ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("BEDROCK_API_KEY", "bedrock-key-value-123"));
    assertThatThrownBy(() -> loader.load(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(dev.switchboard.config.ConfigException.class)
        .hasMessageEndingWith("\n  - deployments.bedrock-prod.profil: unknown key; did you mean 'profile'?")
        .hasMessageNotContaining("bedrock-key-value-123");
  }
}
