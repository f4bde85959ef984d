package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.RateLimitHeaders;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node of the configuration tree with its dotted path, reading typed values and collecting
 * problems instead of stopping at the first one. Strings get {@code ${VAR}} and
 * {@code ${VAR:-default}} substituted from the environment.
 */
final class ConfigNode {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  final JsonNode node;
  final String path;
  final Context context;

  /** What every node of one file shares: the environment and the problem list. */
  static final class Context {
    final Function<String, String> environment;
    final List<String> problems = new ArrayList<>();

    Context(Function<String, String> environment) {
      this.environment = environment;
    }
  }

  ConfigNode(JsonNode node, String path, Context context) {
    this.node = node;
    this.path = path;
    this.context = context;
  }

  void problem(String message) {
    context.problems.add(path + ": " + message);
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Optional<ConfigNode> get(String key) {
    JsonNode n = node.get(key);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(new ConfigNode(n, child(key), context));
  }

  /** Reports every key not in {@code valid}, suggesting the nearest. */
  void checkKeys(Set<String> valid) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!valid.contains(e.getKey())) context.problems.add(Suggestions.unknownKey(path, e.getKey(), valid));
    }
  }

  boolean isObject() {
    if (node.isObject()) return true;
    problem("must be a mapping (key: value), not " + describe(node));
    return false;
  }

  List<Map.Entry<String, ConfigNode>> entries() {
    List<Map.Entry<String, ConfigNode>> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.add(Map.entry(e.getKey(), new ConfigNode(e.getValue(), child(e.getKey()), context)));
    }
    return out;
  }

  List<ConfigNode> elements() {
    List<ConfigNode> out = new ArrayList<>();
    if (!node.isArray()) {
      problem("must be a list, not " + describe(node));
      return out;
    }
    for (int i = 0; i < node.size(); i++) out.add(new ConfigNode(node.get(i), path + "[" + i + "]", context));
    return out;
  }

  /** The scalar as text with variables substituted; empty (with a problem) if not a scalar or a variable is missing. */
  Optional<String> text() {
    if (!node.isValueNode()) {
      problem("must be a single value, not " + describe(node));
      return Optional.empty();
    }
    return substitute(node.asText());
  }

  Optional<String> substitute(String raw) {
    Matcher m = VARIABLE.matcher(raw);
    StringBuilder sb = new StringBuilder();
    boolean ok = true;
    while (m.find()) {
      String value = context.environment.apply(m.group(1));
      if (value == null || (value.isEmpty() && m.group(2) != null)) value = m.group(2);
      if (value == null) {
        problem("environment variable " + m.group(1) + " is not set (use ${" + m.group(1) + ":-default} for a default)");
        ok = false;
        value = "";
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return ok ? Optional.of(sb.toString()) : Optional.empty();
  }

  Optional<Integer> integer() {
    return text().flatMap(t -> {
      try {
        return Optional.of(Integer.parseInt(t.trim()));
      } catch (NumberFormatException e) {
        problem("'" + t + "' is not a whole number");
        return Optional.empty();
      }
    });
  }

  Optional<Long> longValue() {
    return text().flatMap(t -> {
      try {
        return Optional.of(Long.parseLong(t.trim()));
      } catch (NumberFormatException e) {
        problem("'" + t + "' is not a whole number");
        return Optional.empty();
      }
    });
  }

  Optional<Double> decimal() {
    return text().flatMap(t -> {
      try {
        double d = Double.parseDouble(t.trim());
        if (!Double.isFinite(d)) throw new NumberFormatException();
        return Optional.of(d);
      } catch (NumberFormatException e) {
        problem("'" + t + "' is not a number");
        return Optional.empty();
      }
    });
  }

  Optional<Boolean> bool() {
    return text().flatMap(t -> switch (t.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> Optional.of(true);
      case "false", "no", "off" -> Optional.of(false);
      default -> {
        problem("'" + t + "' is not true or false");
        yield Optional.empty();
      }
    });
  }

  /** {@code 10s}, {@code 250ms}, {@code 2m}, {@code 1h30m} or ISO-8601 {@code PT10S}. */
  Optional<Duration> duration() {
    return text().flatMap(t -> {
      String s = t.trim();
      Optional<Duration> d = Optional.empty();
      if (s.startsWith("P") || s.startsWith("p")) {
        try {
          d = Optional.of(Duration.parse(s));
        } catch (DateTimeParseException ignored) {
          // reported below
        }
      } else if (!s.isEmpty() && Character.isDigit(s.charAt(0)) && !s.chars().allMatch(Character::isDigit)) {
        d = RateLimitHeaders.duration(s);
      }
      if (d.isEmpty()) problem("'" + t + "' is not a duration (e.g. 500ms, 10s, 2m, PT10S)");
      return d;
    });
  }

  static String describe(JsonNode n) {
    if (n.isObject()) return "a mapping";
    if (n.isArray()) return "a list";
    return "a value";
  }
}
