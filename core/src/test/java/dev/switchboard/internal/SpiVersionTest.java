package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.ProviderFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPI version must be the one a factory was compiled against, not the running core's. Each
 * case compiles a factory with javac against an older copy of {@code ProviderFactory} (given as
 * source, so it shadows the real one at compile time only) and then loads the factory's class
 * under this core, as a provider jar built for an older core would be loaded.
 */
class SpiVersionTest {
  @TempDir Path dir;

  /** {@code ProviderFactory} as it was in SPI version 1: the version came from a default method. */
  private static final String VERSION_1_SPI = """
      package dev.switchboard.spi;
      import dev.switchboard.Deployment;
      public interface ProviderFactory {
        int SPEC_VERSION = 1;
        String type();
        default int specVersion() {
          return SPEC_VERSION;
        }
        ChatProvider create(Deployment deployment, ProviderContext context);
      }
      """;

  /** A factory written as SPI version 1 said: it leaves {@code specVersion()} to the default. */
  private static final String VERSION_1_FACTORY = """
      package old;
      import dev.switchboard.Deployment;
      import dev.switchboard.spi.ChatProvider;
      import dev.switchboard.spi.ProviderContext;
      import dev.switchboard.spi.ProviderFactory;
      public class OldFactory implements ProviderFactory {
        public String type() { return "old"; }
        public ChatProvider create(Deployment d, ProviderContext c) { throw new UnsupportedOperationException(); }
      }
      """;

  @Test
  void aFactoryCompiledAgainstVersion1IsRefusedByThisCore() throws Exception {
    ProviderFactory old = compileAndLoad(VERSION_1_SPI, VERSION_1_FACTORY);
    assertThatThrownBy(() -> ProviderDiscovery.discover(getClass().getClassLoader(), List.of(old), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("old.OldFactory")
        .hasMessageContaining("SPI version 1")
        .hasMessageContaining("this core implements " + ProviderFactory.SPEC_VERSION);
  }

  @Test
  void aFactoryReportsTheVersionItWasCompiledAgainstNotTheRunningCores() throws Exception {
    // Today's interface with its constant one lower, and a factory that returns that constant:
    // javac folds the constant into the factory, so the factory keeps reporting the older version.
    String olderSpi = Files.readString(Path.of("src/main/java/dev/switchboard/spi/ProviderFactory.java"))
        .replace("int SPEC_VERSION = " + ProviderFactory.SPEC_VERSION + ";",
            "int SPEC_VERSION = " + (ProviderFactory.SPEC_VERSION - 1) + ";");
    assertThat(olderSpi).contains("int SPEC_VERSION = " + (ProviderFactory.SPEC_VERSION - 1) + ";");
    String factory = VERSION_1_FACTORY.replace("public String type()",
        "public int specVersion() { return SPEC_VERSION; }\n  public String type()");
    ProviderFactory older = compileAndLoad(olderSpi, factory);

    assertThat(older.specVersion()).isEqualTo(ProviderFactory.SPEC_VERSION - 1);
    assertThatThrownBy(() -> ProviderDiscovery.discover(getClass().getClassLoader(), List.of(older), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("implements SPI version " + (ProviderFactory.SPEC_VERSION - 1)
            + " but this core implements " + ProviderFactory.SPEC_VERSION);
  }

  /** Compiles both sources against core's classes, then loads only the factory under the real SPI. */
  private ProviderFactory compileAndLoad(String spiSource, String factorySource) throws Exception {
    Path src = dir.resolve("src");
    Path spiFile = write(src.resolve("dev/switchboard/spi/ProviderFactory.java"), spiSource);
    Path factoryFile = write(src.resolve("old/OldFactory.java"), factorySource);
    Path out = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean ok = javac.getTask(errors, null, null,
        List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"),
        null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(spiFile.toFile(), factoryFile.toFile()))
        .call();
    assertThat(ok).as("javac: %s", errors).isTrue();
    // The older interface's class file is not loaded: the parent (this core) defines ProviderFactory.
    Files.delete(out.resolve("dev/switchboard/spi/ProviderFactory.class"));
    URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
    return (ProviderFactory) loader.loadClass("old.OldFactory").getDeclaredConstructor().newInstance();
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
