package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No source outside core imports from {@code dev.switchboard.internal}, tests included. The
 * module descriptors enforce this for main code compiled as modules; tests, examples, benchmarks
 * and the integrations run on the classpath, where nothing else would notice. (ModulePathTest's
 * application names the package in a string on purpose: it checks that the module refuses it.)
 */
class NoInternalImportsTest {
  private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(static\\s+)?dev\\.switchboard\\.internal\\.");

  @Test
  void onlyCoreImportsTheInternalPackage() throws IOException {
    Path root = Path.of(System.getProperty("switchboard.root"));
    assertThat(root.resolve("core/src/main/java/module-info.java")).as("the project root").exists();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders = files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !root.relativize(p).startsWith("core"))
          .filter(p -> root.relativize(p).toString().contains("src"))
          .filter(p -> !root.relativize(p).toString().contains("target"))
          .filter(NoInternalImportsTest::importsInternal)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
    assertThat(offenders).as("sources outside core that import dev.switchboard.internal").isEmpty();
  }

  private static boolean importsInternal(Path file) {
    try {
      return IMPORT.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
