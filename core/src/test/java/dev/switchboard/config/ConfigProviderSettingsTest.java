package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ChatRequest;
import dev.switchboard.Deployment;
import dev.switchboard.Switchboard;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.testing.MockProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Provider settings are checked while the file is read, through the factory's declared keys and {@code validate}. */
class ConfigProviderSettingsTest {

  /** Type {@code paint}: settings {@code colour} (red or blue) and secret {@code paint-key}. */
  static final class PaintFactory implements ProviderFactory {
    final List<String> validated = new ArrayList<>();

    @Override
    public String type() {
      return "paint";
    }

    @Override
    public int specVersion() {
      return 3;
    }

    @Override
    public Set<String> settingKeys() {
      return Set.of("colour", "paint-key");
    }

    @Override
    public List<String> validate(Deployment deployment, HttpSettings http) {
      validated.add(deployment.name() + " " + new java.util.TreeMap<>(deployment.settings()).keySet() + " plain=" + http.allowPlainHttp());
      String colour = deployment.setting("colour").orElse("red");
      return colour.equals("red") || colour.equals("blue") ? List.of()
          : List.of("deployments." + deployment.name() + ".colour: '" + colour + "' is neither red nor blue");
    }

    @Override
    public ChatProvider create(Deployment deployment, ProviderContext context) {
      return MockProvider.create(context.scheduler()).otherwiseReply(deployment.setting("colour").orElse("red"));
    }
  }

  private static Switchboard.Builder load(ConfigLoader loader, String yaml) {
    return loader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void declaredKeysGetSuggestionsAndValuesAreValidatedInTheSamePassAsCoreKeys() {
    PaintFactory paint = new PaintFactory();
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(ConfigLoader.withEnvironment(Map.of())
        .withProviderFactory(paint), """
        http: {allow-plain-http: true, conect-timeout: 1s}
        deployments:
          a: {type: paint, colur: red, regoin: x}
          b: {type: paint, colour: green, paint-key: k}
        models:
          chat: {targets: [{deployment: a, model: m}, {deployment: b, model: m}]}
        """));
    assertThat(e.problems()).containsExactly(
        "http.conect-timeout: unknown key; did you mean 'connect-timeout'?",
        "deployments.a.colur: unknown key; did you mean 'colour'?",
        "deployments.a.regoin: unknown key; did you mean 'region'?",
        "deployments.b.colour: 'green' is neither red nor blue");
    // Unknown keys are not passed on; the secret is (as a secret, not a setting); the file's http section is used.
    assertThat(paint.validated).containsExactly("a [] plain=true", "b [colour] plain=true");
  }

  @Test
  void aFactoryGivenToTheLoaderServesTheBuiltSwitchboard() {
    Switchboard.Builder builder = load(ConfigLoader.withEnvironment(Map.of()).withProviderFactory(new PaintFactory()), """
        deployments:
          a: {type: paint, colour: blue}
        models:
          chat: {targets: [{deployment: a, model: m}]}
        """);
    try (Switchboard sb = builder.build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("blue");
    }
  }

  @Test
  void withoutTheFactoryTheTypeIsUnknownWithTheNearestKnownType() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(ConfigLoader.withEnvironment(Map.of()), """
        deployments:
          a: {type: paint, colour: blue}
          b: {type: mokc}
        models:
          chat: {targets: [{deployment: a, model: m}]}
        """));
    assertThat(e.problems()).containsExactly(
        "deployments.a.type: unknown provider type 'paint'; known types: [mock]; add the provider module to the classpath"
            + " or pass its factory to Switchboard.Builder.providerFactory (ConfigLoader.withProviderFactory for a file)",
        "deployments.b.type: unknown provider type 'mokc'; did you mean 'mock'?");
  }
}
