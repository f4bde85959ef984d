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
 * circuit waits by moving Switchboard's clock instead of sleeping. {@code --api responses} runs
 * the simulated walkthrough with Azure on the Responses API ({@code failover-demo-responses.yaml}:
 * {@code url-style: v1}, {@code api: responses}) failing over to Bedrock's Converse API. Exits 1
 * when a step did not behave as it should.
 */
public final class FailoverDemo {
  private static final String API_VALUES = "chat-completions (default) or responses";
  private static final String USAGE = "FailoverDemo [--simulated | --real] [--fast] [--api chat-completions|responses]";

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
    boolean responses = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String api = null;
      if (arg.equals("--api")) {
        if (i + 1 == args.length) throw new IllegalArgumentException("--api needs a value: " + API_VALUES);
        api = args[++i];
      } else if (arg.startsWith("--api=")) {
        api = arg.substring("--api=".length());
      }
      if (api != null) {
        switch (api) {
          case "responses" -> responses = true;
          case "chat-completions" -> responses = false;
          default -> throw new IllegalArgumentException("unknown --api '" + api + "'; use " + API_VALUES);
        }
        continue;
      }
      switch (arg) {
        case "--real" -> real = true;
        case "--simulated" -> simulated = true;
        case "--fast" -> fast = true;
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; usage: " + USAGE);
      }
    }
    if (real && simulated) throw new IllegalArgumentException("--real and --simulated exclude each other");
    if (real && responses) {
      throw new IllegalArgumentException("--api responses runs on the simulators only; set api: responses and url-style: v1 on"
          + " the Azure deployment in " + RealRun.CONFIG + " for real endpoints");
    }
    if (real) {
      List<String> missing = RealRun.REQUIRED.stream().filter(v -> blank(environment.get(v))).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("--real needs " + missing + " in the environment, and AWS credentials for the"
            + " default chain (see " + RealRun.CONFIG + ")");
      }
      return new RealRun(out, environment).run();
    }
    if (!simulated && !responses && cloudCredentialsPresent(environment) && !"true".equalsIgnoreCase(environment.get("CI"))) {
      out.println("(Azure and AWS credentials found in the environment: running against real endpoints;"
          + " pass --simulated for the simulators.)");
      return new RealRun(out, environment).run();
    }
    if (responses && !simulated && cloudCredentialsPresent(environment) && !"true".equalsIgnoreCase(environment.get("CI"))) {
      out.println("(--api responses runs on the simulators.)");
    }
    return new SimulatedRun(out, fast, responses).run();
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
