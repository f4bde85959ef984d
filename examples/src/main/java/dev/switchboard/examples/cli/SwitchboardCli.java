package dev.switchboard.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.FinishReason;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.examples.FailoverDemo;
import dev.switchboard.examples.demo.DemoReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code switchboard} command line ({@code java -jar examples/target/switchboard-cli.jar}):
 * {@code chat} sends one prompt to a model alias of a configuration file and prints the answer,
 * streamed with {@code --stream}, with every attempt on stderr with {@code --trace};
 * {@code demo} runs the failover demo. Exit codes (also in {@link ChatOptions#USAGE}): 0 answered,
 * 1 the call failed (a stream interrupted after text was shown included), 2 bad command line,
 * 3 bad configuration, 4 the answer did not finish normally (a content filter, or another finish
 * reason than STOP or LENGTH).
 */
public final class SwitchboardCli {
  static final int OK = 0;
  static final int CALL_FAILED = 1;
  static final int USAGE = 2;
  static final int BAD_CONFIG = 3;
  static final int NOT_FINISHED = 4;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;
  private final InputStream stdin;
  private final UnaryOperator<Switchboard.Builder> setup;

  SwitchboardCli(PrintStream out, PrintStream err, Map<String, String> environment, InputStream stdin) {
    this(out, err, environment, stdin, UnaryOperator.identity());
  }

  /** {@code setup} changes the builder loaded from the file before it is built (tests register mock providers). */
  SwitchboardCli(PrintStream out, PrintStream err, Map<String, String> environment, InputStream stdin,
      UnaryOperator<Switchboard.Builder> setup) {
    this.out = out;
    this.err = err;
    this.environment = Map.copyOf(environment);
    this.stdin = stdin;
    this.setup = setup;
  }

  public static void main(String[] args) {
    FailoverDemo.quietLibraryLogs();
    int code = new SwitchboardCli(System.out, System.err, System.getenv(), System.in).run(List.of(args));
    System.out.flush();
    if (code != OK) System.exit(code);
  }

  int run(List<String> args) {
    if (args.isEmpty()) {
      err.println(ChatOptions.USAGE);
      return USAGE;
    }
    List<String> rest = args.subList(1, args.size());
    switch (args.get(0)) {
      case "chat":
        return chat(rest);
      case "demo":
        return demo(rest);
      case "help", "--help", "-h":
        out.println(ChatOptions.USAGE);
        return OK;
      default:
        err.println("unknown command '" + args.get(0) + "'\n" + ChatOptions.USAGE);
        return USAGE;
    }
  }

  private int demo(List<String> args) {
    try {
      DemoReport report = FailoverDemo.run(out, environment, args.toArray(String[]::new));
      return report.ok() ? OK : CALL_FAILED;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return USAGE;
    }
  }

  private int chat(List<String> args) {
    ChatOptions options;
    try {
      options = ChatOptions.parse(args, environment.get("SWITCHBOARD_CONFIG"), this::readStdin);
    } catch (ChatOptions.UsageException e) {
      err.println(e.getMessage() + "\n" + ChatOptions.USAGE);
      return USAGE;
    }
    Switchboard switchboard;
    try {
      // The whole file is checked before the alias is chosen: a config error is the one to fix first.
      switchboard = setup.apply(ConfigLoader.withEnvironment(environment).load(options.config())).build();
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return BAD_CONFIG;
    }
    try (switchboard) {
      String alias = options.model().orElseGet(() -> onlyAlias(options));
      ChatRequest.Builder request = ChatRequest.builder(alias);
      options.system().ifPresent(request::system);
      request.user(options.prompt());
      options.maxTokens().ifPresent(request::maxTokens);
      long start = System.nanoTime();
      ChatResponse response = options.stream() ? stream(switchboard, request.build()) : switchboard.chat(request.build());
      if (!options.stream()) out.println(response.text());
      out.flush();
      int code = finish(response.finishReason());
      if (options.trace()) trace(response, (System.nanoTime() - start) / 1_000_000);
      return code;
    } catch (ChatOptions.UsageException e) {
      err.println(e.getMessage());
      return USAGE;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage()); // an unknown alias: the message lists the configured ones
      return USAGE;
    } catch (StreamInterruptedException e) {
      String shown = e.partial().text();
      if (!shown.isEmpty() && !shown.endsWith("\n")) out.println();
      out.flush();
      err.println("error: the stream was interrupted after " + shown.codePointCount(0, shown.length())
          + " characters (the answer above is incomplete): " + e.getMessage());
      return CALL_FAILED; // the message lists every attempt: --trace adds nothing to it
    } catch (SwitchboardException e) {
      out.flush();
      err.println("error: " + e.getMessage());
      return CALL_FAILED;
    }
  }

  /** Prints the text as it arrives; a restart on another target is marked on stderr, on a line of its own. */
  private ChatResponse stream(Switchboard switchboard, ChatRequest request) {
    try (ChatStream stream = switchboard.stream(request)) {
      boolean midLine = false;
      for (ChatEvent event : stream) {
        if (event instanceof ChatEvent.TextDelta d && !d.text().isEmpty()) {
          out.print(d.text());
          out.flush();
          midLine = !d.text().endsWith("\n");
        } else if (event instanceof ChatEvent.Reset r) {
          // What was printed cannot be taken back: end its line and say that a new answer starts.
          if (midLine) out.println();
          out.flush();
          err.println("--- restarted on " + r.target().deployment() + " (" + r.cause() + ") ---");
          err.flush();
          midLine = false;
        }
      }
      out.println();
      return stream.response().join();
    }
  }

  /**
   * The exit code for how the answer ended: STOP is normal, LENGTH too (the limit may be the
   * --max-tokens asked for) but noted; a content filter, an unrequested tool call or a reason
   * the provider did not explain means the text above is not a whole answer.
   */
  private int finish(FinishReason reason) {
    switch (reason) {
      case STOP:
        return OK;
      case LENGTH:
        err.println("note: the answer stopped at the token limit (finish LENGTH)");
        return OK;
      case CONTENT_FILTER:
        err.println("error: a content filter stopped the answer (finish CONTENT_FILTER)");
        return NOT_FINISHED;
      default:
        err.println("error: the answer did not finish normally (finish " + reason + ")");
        return NOT_FINISHED;
    }
  }

  private void trace(ChatResponse r, long millis) {
    Usage u = r.usage();
    String usage = u.equals(Usage.EMPTY) ? "usage unknown" : "tokens " + u.inputTokens() + " in / " + u.outputTokens() + " out";
    err.println("served by " + r.servedBy() + " in " + millis + " ms; " + usage + "; finish " + r.finishReason());
    for (Attempt a : r.attempts()) err.println("  attempt: " + a);
  }

  /** The file's one model alias, so that --model may be left out; a usage error when there are several. */
  private String onlyAlias(ChatOptions options) {
    List<String> aliases = new ArrayList<>();
    try {
      JsonNode models = new YAMLMapper().readTree(Files.readString(options.config(), StandardCharsets.UTF_8)).path("models");
      models.fieldNames().forEachRemaining(aliases::add);
    } catch (IOException e) {
      // ConfigLoader reports unreadable or malformed files properly; let it.
      return "";
    }
    if (aliases.size() == 1) return aliases.get(0);
    if (aliases.isEmpty()) return "";
    throw new ChatOptions.UsageException("the configuration defines several model aliases " + aliases
        + ": choose one with --model");
  }

  private String readStdin() {
    try {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the prompt from standard input", e);
    }
  }
}
