package dev.switchboard.config;

import java.util.List;

/**
 * A configuration file (or the builders it maps onto) is invalid. {@link #problems()} lists
 * every problem found, each naming its path ({@code deployments.azure-east.endpoint: not an
 * https URL}); secret values are never part of a message.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final List<String> problems;

  /**
   * @param source the file (or other source) the configuration came from, named in the message's
   *     header; null when there is none
   * @param problems one entry per problem, each {@code path: what is wrong}
   */
  public ConfigException(String source, List<String> problems) {
    super("invalid Switchboard configuration" + (source == null ? "" : " in " + source) + " ("
        + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file (or other source) named in the header, if known. */
  public java.util.Optional<String> source() {
    return java.util.Optional.ofNullable(source);
  }

  public List<String> problems() {
    return problems;
  }
}
