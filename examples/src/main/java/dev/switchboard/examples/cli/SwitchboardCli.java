package dev.switchboard.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
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

/**
 * The {@code switchboard} command line ({@code java -jar examples/target/switchboard-cli.jar}):
 * {@code chat} sends one prompt to a model alias of a configuration file and prints the answer,
 * streamed with {@code --stream}, with every attempt on stderr with {@code --trace};
 * {@code demo} runs the failover demo. Exit codes: 0 answered, 1 the call failed, 2 bad command
 * line, 3 bad configuration.
 */
public final class SwitchboardCli {
  static final int OK = 0;
  static final int CALL_FAILED = 1;
  static final int USAGE = 2;
  static final int BAD_CONFIG = 3;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;
  private final InputStream stdin;

  SwitchboardCli(PrintStream out, PrintStream err, Map<String, String> environment, InputStream stdin) {
    this.out = out;
    this.err = err;
    this.environment = Map.copyOf(environment);
    this.stdin = stdin;
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
    String alias;
    try {
      alias = options.model().orElseGet(() -> onlyAlias(options));
      switchboard = ConfigLoader.withEnvironment(environment).load(options.config()).build();
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return BAD_CONFIG;
    } catch (ChatOptions.UsageException e) {
      err.println(e.getMessage());
      return USAGE;
    }
    try (switchboard) {
      ChatRequest.Builder request = ChatRequest.builder(alias);
      options.system().ifPresent(request::system);
      request.user(options.prompt());
      options.maxTokens().ifPresent(request::maxTokens);
      long start = System.nanoTime();
      ChatResponse response = options.stream() ? stream(switchboard, request.build()) : switchboard.chat(request.build());
      if (!options.stream()) out.println(response.text());
      out.flush();
      if (options.trace()) trace(response, (System.nanoTime() - start) / 1_000_000);
      return OK;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage()); // an unknown alias: the message lists the configured ones
      return USAGE;
    } catch (SwitchboardException e) {
      out.flush();
      err.println("error: " + e.getMessage());
      if (options.trace()) e.attempts().forEach(a -> err.println("  attempt: " + a));
      return CALL_FAILED;
    }
  }

  private ChatResponse stream(Switchboard switchboard, ChatRequest request) {
    try (ChatStream stream = switchboard.stream(request)) {
      for (ChatEvent event : stream) {
        if (event instanceof ChatEvent.TextDelta d) {
          out.print(d.text());
          out.flush();
        }
      }
      out.println();
      return stream.response().join();
    }
  }

  private void trace(ChatResponse r, long millis) {
    err.println("served by " + r.servedBy() + " in " + millis + " ms; tokens " + r.usage().inputTokens() + " in / "
        + r.usage().outputTokens() + " out; finish " + r.finishReason());
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
