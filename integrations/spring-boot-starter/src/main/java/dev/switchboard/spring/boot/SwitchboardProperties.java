package dev.switchboard.spring.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code switchboard.*} property tree as Switchboard's own configuration document.
 *
 * <p>Spring binds the tree (every property source, {@code ${...}} placeholders resolved, YAML
 * lists arriving as maps keyed {@code 0..n-1}, which become lists again); the tree is handed to
 * {@link ConfigLoader} unchanged, so validation, defaults and messages are exactly those of a
 * YAML file. Problem paths are reported with their {@code switchboard.} prefix, as the
 * application wrote them. Keys stay as written (a map's keys are not relaxed by Spring either):
 * use the file format's kebab-case names.
 *
 * <p>Three keys belong to the starter and are removed first: {@code switchboard.enabled},
 * {@code switchboard.spring-ai} and {@code switchboard.langchain4j} (each with {@code chat-alias}
 * and {@code embedding-alias}).
 */
final class SwitchboardProperties {
  static final String PREFIX = "switchboard";
  static final Set<String> STARTER_KEYS = Set.of("enabled", "spring-ai", "langchain4j");
  static final String SOURCE = "Spring properties (switchboard.*)";
  /** A problem path, at the start or after a provider's "deployment 'x': " prefix. */
  private static final Pattern ROOT_KEY = Pattern.compile("[^\\s.:\\[]+: unknown key(;.*)?", Pattern.DOTALL);
  private static final Pattern PATH = Pattern.compile("(^|: )((?:deployments|models|http|timeout|resilience|shared-state)[.\\[:])");

  private SwitchboardProperties() {}

  /** The bound tree without the starter's own keys; empty when nothing is configured. */
  static Map<String, Object> tree(Environment environment) {
    Map<String, Object> bound = Binder.get(environment).bind(PREFIX, Bindable.mapOf(String.class, Object.class))
        .orElse(Map.of());
    Map<String, Object> tree = new LinkedHashMap<>();
    bound.forEach((k, v) -> {
      if (!STARTER_KEYS.contains(k)) tree.put(k, normalise(v));
    });
    return tree;
  }

  /** Whether any Switchboard configuration is present. */
  static boolean configured(Environment environment) {
    return !tree(environment).isEmpty();
  }

  /** Reads the tree with Switchboard's {@link ConfigLoader}; problems keep their property paths. */
  static Switchboard.Builder load(Map<String, Object> tree) {
    byte[] json;
    try {
      json = new ObjectMapper().writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the switchboard.* tree", e);
    }
    try {
      return ConfigLoader.create().load(new ByteArrayInputStream(json));
    } catch (ConfigException e) {
      throw withPrefix(e);
    }
  }

  /** {@code e} with each problem's path prefixed by {@code switchboard.}, naming the Spring property. */
  static ConfigException withPrefix(ConfigException e) {
    List<String> problems = new ArrayList<>(e.problems().size());
    for (String p : e.problems()) {
      // An unknown top-level key's path is the key alone ("modles: unknown key; ...").
      problems.add(ROOT_KEY.matcher(p).matches() ? PREFIX + "." + p : PATH.matcher(p).replaceAll("$1" + PREFIX + ".$2"));
    }
    return new ConfigException(SOURCE, problems);
  }

  /** The first model alias in the configuration (declaration order), for the default chat model. */
  static Optional<String> firstAlias(Map<String, Object> tree) {
    return tree.get("models") instanceof Map<?, ?> models && !models.isEmpty()
        ? Optional.of(String.valueOf(models.keySet().iterator().next())) : Optional.empty();
  }

  /** Maps keyed exactly {@code 0..n-1}, in any order (how Spring binds YAML lists into a map), become lists. */
  static Object normalise(Object value) {
    if (!(value instanceof Map<?, ?> map)) return value;
    Object[] byIndex = new Object[map.size()];
    boolean indexed = !map.isEmpty();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String k = String.valueOf(e.getKey());
      int i = k.matches("0|[1-9][0-9]{0,8}") ? Integer.parseInt(k) : -1;
      if (i < 0 || i >= byIndex.length || byIndex[i] != null) {
        indexed = false;
        break;
      }
      byIndex[i] = e.getValue();
    }
    if (indexed) {
      List<Object> list = new ArrayList<>(byIndex.length);
      for (Object v : byIndex) list.add(normalise(v));
      return list;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
    return out;
  }
}
