package dev.switchboard.examples;

import dev.switchboard.examples.demo.DemoReport;
import dev.switchboard.examples.demo.RealRun;
import dev.switchboard.examples.demo.SimulatedRun;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The one-command failover demo ({@code mvn -B -q -DskipTests -Pdemo verify}): Switchboard,
 * configured from a YAML file with Azure OpenAI first and Amazon Bedrock second, walks through a
 * normal call, 503s, a 429 with cooldown, refused connections with a circuit breaker, and a
 * stream that breaks before its first token, printing each call's trace and a summary.
 *
 * <p>By default it runs against simulated endpoints on loopback ({@link SimulatedRun}), which
 * speak the real wire formats and check credentials. {@code --real} runs against real endpoints
 * ({@link RealRun}); so does a run with Azure and AWS credentials in the environment, unless
 * {@code CI=true} or {@code --simulated} is given. {@code --fast} skips the cooldown and
 * circuit waits by moving Switchboard's clock instead of sleeping. Exits 1 when a step did not
 * behave as it should.
 */
public final class FailoverDemo {
  private FailoverDemo() {}

  public static void main(String[] args) {
    quietLibraryLogs();
    DemoReport report;
    try {
      report = run(System.out, System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (!report.ok()) {
      System.err.println("The demo did not go as expected:");
      report.steps().forEach(s -> s.unmet().forEach(u -> System.err.println("  " + s.title() + ": " + u)));
      System.exit(1);
    }
  }

  /**
   * Runs the demo, printing to {@code out}.
   *
   * @throws IllegalArgumentException for unknown arguments, or {@code --real} without what it needs
   */
  public static DemoReport run(PrintStream out, Map<String, String> environment, String... args) {
    boolean real = false;
    boolean simulated = false;
    boolean fast = false;
    for (String arg : args) {
      switch (arg) {
        case "--real" -> real = true;
        case "--simulated" -> simulated = true;
        case "--fast" -> fast = true;
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; usage: FailoverDemo [--simulated | --real] [--fast]");
      }
    }
    if (real && simulated) throw new IllegalArgumentException("--real and --simulated exclude each other");
    if (real) {
      List<String> missing = RealRun.REQUIRED.stream().filter(v -> blank(environment.get(v))).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("--real needs " + missing + " in the environment, and AWS credentials for the"
            + " default chain (see " + RealRun.CONFIG + ")");
      }
      return new RealRun(out, environment).run();
    }
    if (!simulated && cloudCredentialsPresent(environment) && !"true".equalsIgnoreCase(environment.get("CI"))) {
      out.println("(Azure and AWS credentials found in the environment: running against real endpoints;"
          + " pass --simulated for the simulators.)");
      return new RealRun(out, environment).run();
    }
    return new SimulatedRun(out, fast).run();
  }

  /** Both clouds configured: the Azure settings the real config needs, and some AWS credential source. */
  static boolean cloudCredentialsPresent(Map<String, String> env) {
    boolean azure = RealRun.REQUIRED.stream().noneMatch(v -> blank(env.get(v)));
    boolean aws = List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").stream().anyMatch(v -> !blank(env.get(v)));
    return azure && aws;
  }

  /** The demo prints its own trace of every failover; the library's WARN lines would repeat it. */
  public static void quietLibraryLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
