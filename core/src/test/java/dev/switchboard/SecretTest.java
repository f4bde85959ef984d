package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {
  @Test
  void aNullValueSaysWhatWasMissingAndHowToNameIt() {
    assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("System.getenv").hasMessageContaining("Secret.env(");
  }

  @Test
  void envNamesTheVariableNeverTheValue() {
    Map<String, String> env = Map.of("SET_KEY", "value-0123456789", "BLANK_KEY", "  ");
    assertThat(Secret.env("SET_KEY", env::get).reveal()).isEqualTo("value-0123456789");
    assertThatThrownBy(() -> Secret.env("AZURE_OPENAI_API_KEY", env::get)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable AZURE_OPENAI_API_KEY is not set");
    assertThatThrownBy(() -> Secret.env("BLANK_KEY", env::get)).hasMessage("environment variable BLANK_KEY is blank");
    assertThat(Secret.env("SET_KEY", env::get)).hasToString("Secret[****]");
  }

  @Test
  void deploymentToStringHidesUrlCredentials() {
    Deployment d = Deployment.builder("d", "openai")
        .setting("base-url", "https://user:hunter2pass@example.com/v1?api-key=querykey0123")
        .setting("organization", "org-1")
        .secret("api-key", Secret.of("sk-secret-0123456789")).build();
    assertThat(d.toString()).doesNotContain("hunter2pass").doesNotContain("querykey0123").doesNotContain("sk-secret")
        .contains("base-url=https://****@example.com/v1?api-key=****").contains("organization=org-1")
        .contains("secrets=[api-key]");
  }
}
