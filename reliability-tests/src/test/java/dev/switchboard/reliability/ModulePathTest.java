package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switchboard used as modules and as plain jars. A tiny application ({@code src/test/modulepath-app},
 * module {@code dev.switchboard.modulepath}, which requires core only) is compiled against the
 * runtime closure of core, the three providers and redis (written by the dependency plugin, see the
 * pom), then run twice in its own JVM: with {@code --module-path}, where the providers are found
 * through {@code uses}/{@code provides} (the Redis shared-state factory too) and core's descriptor hides {@code internal}; and with
 * {@code -cp}, where {@code META-INF/services} finds them. Each run chats once through every
 * provider against a loopback server, so Jackson, OkHttp and the AWS signer run inside the
 * modules too.
 */
class ModulePathTest {
  static final String SEP = File.pathSeparator;

  @TempDir static Path work;
  static Path app;
  static String dependencies;

  @BeforeAll
  static void compileTheApp() throws IOException {
    dependencies = Files.readString(Path.of(System.getProperty("switchboard.modulepath.path"))).trim();
    Path sources = Path.of(System.getProperty("switchboard.modulepath.sources"));
    List<String> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
    }
    app = work.resolve("app");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--release", "17", "--module-path", dependencies, "-d", app.toString()));
    args.addAll(files);
    assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac exit code").isZero();
  }

  @Test
  void onTheModulePathTheProvidersAreBoundAsServicesAndInternalStaysClosed() {
    List<String> out = run("--module-path", app + SEP + dependencies,
        "--module", "dev.switchboard.modulepath/dev.switchboard.modulepath.Main");

    assertThat(out).startsWith("core dev.switchboard.core");
    assertThat(out.stream().filter(l -> l.startsWith("export "))).containsExactly(
        "export dev.switchboard",
        "export dev.switchboard.config",
        "export dev.switchboard.http to [dev.switchboard.aws, dev.switchboard.azure, dev.switchboard.openai]",
        "export dev.switchboard.metrics",
        "export dev.switchboard.resilience",
        "export dev.switchboard.routing",
        "export dev.switchboard.spi",
        "export dev.switchboard.state",
        "export dev.switchboard.testing");
    assertThat(out).contains("internal refused: IllegalAccessException");
    assertThat(out.stream().filter(l -> l.startsWith("factory "))).containsExactly(
        "factory azure-openai dev.switchboard.azure",
        "factory bedrock dev.switchboard.aws",
        "factory mock dev.switchboard.core",
        "factory openai dev.switchboard.openai");
    assertThat(out).contains("shared-state redis dev.switchboard.redis");
    assertChats(out);
  }

  @Test
  void onTheClasspathTheServiceFilesFindTheSameProviders() {
    List<String> out = run("-cp", app + SEP + dependencies, "dev.switchboard.modulepath.Main");

    assertThat(out).startsWith("core unnamed");
    assertThat(out).noneMatch(l -> l.startsWith("export "));
    assertThat(out).contains("internal allowed");
    assertThat(out.stream().filter(l -> l.startsWith("factory "))).containsExactly(
        "factory azure-openai unnamed",
        "factory bedrock unnamed",
        "factory mock unnamed",
        "factory openai unnamed");
    assertThat(out).contains("shared-state redis unnamed");
    assertChats(out);
  }

  private static void assertChats(List<String> out) {
    assertThat(out.stream().filter(l -> l.startsWith("chat "))).containsExactly(
        "chat openai openai openai-answer",
        "chat azure azure-openai azure-answer",
        "chat bedrock bedrock converse-answer");
  }

  /** Runs a JVM of this JDK with {@code args}; its standard output, one entry a line. */
  private static List<String> run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).start();
      CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      // A bound, not a timing assertion: the app makes three loopback calls and exits.
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("the app did not exit within 2 minutes: " + command);
      }
      // A boot-layer error (a module not found, a split package) goes to standard output.
      assertThat(p.exitValue()).as("exit code; stdout:%n%s%nstderr:%n%s", stdout.join(), stderr.join()).isZero();
      return stdout.join().lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
