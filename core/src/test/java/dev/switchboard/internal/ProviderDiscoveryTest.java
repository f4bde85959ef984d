package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.Deployment;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.testing.MockProviderFactory;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderDiscoveryTest {
  @TempDir Path dir;

  /** A class loader that adds a service file listing {@code classNames}. */
  private ClassLoader withServices(String... classNames) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(ProviderFactory.class.getName()), String.join("\n", classNames) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void serviceLoaderFindsTheMockProviderOnAPlainClasspath() {
    try (Switchboard sb = Switchboard.builder()
        .deployment(Deployment.builder("m", "mock").setting("reply", "from the classpath").build())
        .model(ModelAlias.builder("chat").target("m", "any").build()).build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("from the classpath");
    }
  }

  @Test
  void aMissingProjectProviderNamesItsArtifactAndATypoGetsTheNearestType() {
    // core's own tests have only the mock provider on the classpath
    ProviderDiscovery d = ProviderDiscovery.discover(getClass().getClassLoader(), List.of(), true);
    assertThat(d.unknownType("bedrock")).startsWith("type 'bedrock' needs dev.switchboard:switchboard-provider-aws on the classpath");
    assertThat(d.unknownType("azure-openai")).startsWith("type 'azure-openai' needs dev.switchboard:switchboard-provider-azure");
    assertThat(d.unknownType("openia"))
        .isEqualTo("unknown provider type 'openia'; did you mean 'openai'? (provided by dev.switchboard:switchboard-provider-openai)");
    assertThat(d.unknownType("mokc")).isEqualTo("unknown provider type 'mokc'; did you mean 'mock'?");
  }

  @Test
  void unknownTypeListsTheKnownOnes() {
    ProviderDiscovery d = ProviderDiscovery.discover(getClass().getClassLoader(), List.of(), true);
    assertThatThrownBy(() -> d.resolve("watsonx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown provider type 'watsonx'")
        .hasMessageContaining("known types: [mock");
  }

  @Test
  void twoFactoriesClaimingOneTypeAreNamed() throws IOException {
    ClassLoader loader = withServices(DupA.class.getName(), DupB.class.getName());
    ProviderDiscovery d = ProviderDiscovery.discover(loader, List.of(), true);
    assertThatThrownBy(() -> d.resolve("dup"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DupA.class.getName())
        .hasMessageContaining(DupB.class.getName())
        .hasMessageContaining("switchboard.provider.dup");
  }

  @Test
  void aSystemPropertyChoosesAmongDuplicates() throws IOException {
    ClassLoader loader = withServices(DupA.class.getName(), DupB.class.getName());
    ProviderDiscovery d = ProviderDiscovery.discover(loader, List.of(), true);
    System.setProperty("switchboard.provider.dup", DupB.class.getName());
    try {
      assertThat(d.resolve("dup")).isInstanceOf(DupB.class);
    } finally {
      System.clearProperty("switchboard.provider.dup");
    }
  }

  @Test
  void aBrokenServiceEntryDoesNotStopStartUp() throws IOException {
    ClassLoader loader = withServices("com.example.DoesNotExist", DupA.class.getName());
    ProviderDiscovery d = ProviderDiscovery.discover(loader, List.of(), true);
    assertThat(d.resolve("dup")).isInstanceOf(DupA.class);
    assertThat(d.resolve("mock")).isInstanceOf(MockProviderFactory.class);
    assertThatThrownBy(() -> d.resolve("nope")).hasMessageContaining("com.example.DoesNotExist");
  }

  @Test
  void aFactoryForAnotherSpiVersionIsRefused() throws IOException {
    ClassLoader loader = withServices(FutureVersion.class.getName());
    ProviderDiscovery d = ProviderDiscovery.discover(loader, List.of(), true);
    assertThatThrownBy(() -> d.resolve("future"))
        .hasMessageContaining("implements SPI version 99 but this core implements " + ProviderFactory.SPEC_VERSION);
    assertThatThrownBy(() -> ProviderDiscovery.discover(getClass().getClassLoader(), List.of(new FutureVersion()), false))
        .hasMessageContaining("SPI version 99");
  }

  @Test
  void explicitFactoriesNeedNoScanAndWinOverTheClasspath() {
    ProviderDiscovery d = ProviderDiscovery.discover(getClass().getClassLoader(), List.of(new DupA()), false);
    assertThat(d.resolve("dup")).isInstanceOf(DupA.class);
    assertThat(d.knownTypes()).containsExactly("dup");
  }

  @Test
  void builderReportsEveryConfigurationProblemAtOnce() {
    assertThatThrownBy(() -> Switchboard.builder()
        .deployment(Deployment.builder("a", "nope").build())
        .deployment(Deployment.builder("b", "mock").setting("colour", "red").build())
        .model(ModelAlias.builder("chat").target("a", "x").target("missing", "y").build())
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\n  - deployments.a.type: unknown provider type 'nope'; known types: [mock")
        .hasMessageContaining("\n  - deployments.b.colour: unknown key; valid keys: [fail, latency-ms, reply]")
        .hasMessageContaining("model alias 'chat' targets unknown deployment 'missing'");
  }

  public static class DupA implements ProviderFactory {
    @Override
    public String type() {
      return "dup";
    }

    @Override
    public int specVersion() {
      return 3;
    }

    @Override
    public ChatProvider create(Deployment deployment, ProviderContext context) {
      throw new UnsupportedOperationException("discovery test only");
    }
  }

  public static class DupB extends DupA {}

  public static class FutureVersion extends DupA {
    @Override
    public String type() {
      return "future";
    }

    @Override
    public int specVersion() {
      return 99;
    }
  }
}
