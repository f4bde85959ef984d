package dev.switchboard.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parsed arguments of {@code switchboard chat}. {@link #parse} throws
 * {@link UsageException} naming what is wrong; it never exits.
 */
record ChatOptions(Path config, Optional<String> model, boolean stream, boolean trace, Optional<String> system,
    OptionalInt maxTokens, String prompt) {

  ChatOptions {
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(system, "system == null");
    Objects.requireNonNull(maxTokens, "maxTokens == null");
    Objects.requireNonNull(prompt, "prompt == null");
  }

  /** A command line that cannot be run; the message says why. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static final String USAGE = """
      usage: switchboard chat --config FILE [--model ALIAS] [--stream] [--trace] [--system TEXT] [--max-tokens N] PROMPT...
             switchboard demo [--fast] [--real | --simulated]
             switchboard help

        --config FILE    YAML or JSON configuration (deployments, models, resilience); or set SWITCHBOARD_CONFIG
        --model ALIAS    the model alias to call; may be left out when the file defines exactly one
        --stream         print the answer token by token as it arrives
        --trace          print every attempt (target, outcome, time) to stderr after the answer
        --system TEXT    a system message before the prompt
        --max-tokens N   cap the answer's length
        PROMPT           the user message; '-' reads it from standard input

      With --stream, a stream restarted on another target (resilience.stream-restart) is marked on
      stderr as '--- restarted on DEPLOYMENT (KIND) ---'; the answer starts again below it.

      exit codes: 0 answered (finish STOP, or LENGTH at the token limit)
                  1 the call failed, or a stream broke after part of the answer was shown
                  2 bad command line (or several model aliases and no --model)
                  3 bad configuration file
                  4 the answer did not finish normally: a content filter stopped it, or
                    another finish reason (printed on stderr)""";

  /**
   * Parses the arguments after {@code chat}; {@code defaultConfig} is {@code SWITCHBOARD_CONFIG}
   * (may be null) and {@code stdin} supplies the prompt when it is {@code -}.
   */
  static ChatOptions parse(List<String> args, String defaultConfig, java.util.function.Supplier<String> stdin) {
    Path config = defaultConfig == null || defaultConfig.isBlank() ? null : Path.of(defaultConfig);
    String model = null;
    String system = null;
    Integer maxTokens = null;
    boolean stream = false;
    boolean trace = false;
    List<String> words = new ArrayList<>();
    boolean onlyWords = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (onlyWords || !a.startsWith("--")) {
        words.add(a);
        continue;
      }
      switch (a) {
        case "--" -> onlyWords = true;
        case "--config" -> config = Path.of(value(args, ++i, a));
        case "--model" -> model = value(args, ++i, a);
        case "--system" -> system = value(args, ++i, a);
        case "--max-tokens" -> maxTokens = positive(value(args, ++i, a), a);
        case "--stream" -> stream = true;
        case "--trace" -> trace = true;
        default -> throw new UsageException("unknown option '" + a + "'");
      }
    }
    if (config == null) throw new UsageException("--config FILE is required (or set SWITCHBOARD_CONFIG)");
    if (words.isEmpty()) throw new UsageException("no prompt given");
    String prompt = words.size() == 1 && words.get(0).equals("-") ? stdin.get() : String.join(" ", words);
    if (prompt == null || prompt.isBlank()) throw new UsageException("the prompt is empty");
    return new ChatOptions(config, Optional.ofNullable(model), stream, trace, Optional.ofNullable(system),
        maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens), prompt);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size() || args.get(i).startsWith("--")) throw new UsageException(option + " needs a value");
    return args.get(i);
  }

  private static int positive(String value, String option) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " needs a positive whole number, not '" + value + "'");
  }
}
