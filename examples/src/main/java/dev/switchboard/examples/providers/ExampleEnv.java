package dev.switchboard.examples.providers;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what a provider example needs from the environment, and says what is missing. */
final class ExampleEnv {
  private final Map<String, String> env;

  ExampleEnv(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Optional<String> get(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  boolean has(String name) {
    return get(name).isPresent();
  }

  /** Whether the AWS default credential chain has something to find: variables, a profile, a role. */
  boolean awsCredentialsAvailable() {
    if (List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").stream().anyMatch(this::has)) {
      return true;
    }
    // The shared files, under the HOME of the environment given (so tests decide what exists).
    return get("HOME").map(Path::of)
        .map(home -> Files.isRegularFile(home.resolve(".aws/credentials")) || Files.isRegularFile(home.resolve(".aws/config")))
        .orElse(false);
  }

  /** Prints what {@code example} needs; the example then ends normally (exit code 0). */
  static void explain(PrintStream out, String example, String... lines) {
    out.println(example + " needs real credentials and did not call anything:");
    for (String line : lines) out.println("  " + line);
  }
}
