package dev.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared recorded fixtures ({@code ../shared/fixtures}), read in place. The build
 * passes their location as the system property {@code switchboard.fixtures}. When the folder is
 * absent (a user's fresh clone) tests that need it are skipped with a clear message; when the
 * environment has {@code CI=true} they fail instead, so CI can never skip them silently.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixtures root, or skips (fails on CI) when absent. */
  public static Path root() {
    String configured = System.getProperty("switchboard.fixtures");
    Path root = configured == null ? null : Path.of(configured).normalize();
    if (root != null && Files.isDirectory(root)) return root;
    String message = "shared fixtures not found at " + root
        + " (set -Dswitchboard.fixtures=/path/to/shared/fixtures); recorded-traffic tests skipped";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true but " + message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
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
