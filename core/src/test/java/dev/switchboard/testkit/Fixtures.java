package dev.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

/**
 * Locates the shared recorded fixtures ({@code ../shared/fixtures}), read in place. The build
 * passes their location as the system property {@code switchboard.fixtures}. When the folder is
 * absent (a user's fresh clone) tests that need it are skipped with a clear message; when the
 * environment has {@code CI=true} they fail instead, so CI can never skip them silently.
 *
 * <p>Call it from a test method (or through {@link #lazy}), never from a static initialiser or
 * inside {@code assertThatThrownBy}: a skip thrown while a class initialises becomes an
 * {@code ExceptionInInitializerError}, and one thrown inside {@code assertThatThrownBy} is caught
 * as the "actual" exception. An empty folder counts as absent.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixtures root, or skips (fails on CI) when absent. */
  public static Path root() {
    return root(System.getProperty("switchboard.fixtures"), System.getenv("CI"));
  }

  static Path root(String configured, String ci) {
    Path root = configured == null ? null : Path.of(configured).normalize();
    if (root != null && isNonEmptyDirectory(root)) return root;
    String message = "shared fixtures not found at " + root + " (set -Dswitchboard.fixtures=/path/to/shared/fixtures)";
    if ("true".equalsIgnoreCase(ci)) {
      throw new IllegalStateException("CI=true but " + message + "; on CI the recorded-traffic tests must run");
    }
    Assumptions.abort(message + "; recorded-traffic tests skipped");
    throw new AssertionError("unreachable");
  }

  /**
   * For a check that supplements a test which otherwise stands on its own (a request body checked
   * against a published schema, say): true when the fixtures are present; false when they are
   * absent on a user's clone, so that the test's own assertions still run; on CI, absent fixtures
   * fail here as in {@link #root()}.
   */
  public static boolean present() {
    try {
      root();
      return true;
    } catch (TestAbortedException e) {
      return false;
    }
  }

  private static boolean isNonEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Data loaded from the fixtures on first use, at test time: {@code get()} skips (fails on CI)
   * each time it is called while the fixtures are absent, and loads once when they are present.
   * For test classes that share recorded inputs between many tests or jqwik properties.
   */
  public static <T> Supplier<T> lazy(Supplier<T> loader) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) value = java.util.Objects.requireNonNull(loader.get(), "loaded fixture == null");
        return value;
      }
    };
  }

  /** A path under the fixtures root; skips (fails on CI) when the root is absent. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) throw new IllegalStateException("fixture missing: " + p);
    return p;
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String relative) {
    return new String(bytes(relative), java.nio.charset.StandardCharsets.UTF_8);
  }
}
