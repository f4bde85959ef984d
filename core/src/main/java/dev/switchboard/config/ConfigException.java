package dev.switchboard.config;

import java.util.List;

/**
 * A configuration file (or the builders it maps onto) is invalid. {@link #problems()} lists
 * every problem found, each naming its path ({@code deployments.azure-east.endpoint: not an
 * https URL}); secret values are never part of a message.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super("invalid Switchboard configuration" + (source == null ? "" : " in " + source) + " ("
        + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
