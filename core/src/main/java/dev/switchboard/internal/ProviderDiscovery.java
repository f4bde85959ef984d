package dev.switchboard.internal;

import dev.switchboard.config.Suggestions;
import dev.switchboard.spi.ProviderFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place provider factories are found. Factories passed explicitly win; the rest come
 * from {@link ServiceLoader}. Discovery is loud and safe: a jar whose service entry cannot load
 * is logged and skipped (it does not stop start-up); a factory built for another SPI version is
 * refused; two factories claiming one type are an error naming both classes, unless the system
 * property {@code switchboard.provider.<type>} names the class to use.
 */
public final class ProviderDiscovery {
  private static final Logger log = LoggerFactory.getLogger(ProviderDiscovery.class);

  /** This project's provider types and the artifact serving each. */
  private static final Map<String, String> ARTIFACTS = Map.of(
      "openai", "dev.switchboard:switchboard-provider-openai",
      "azure-openai", "dev.switchboard:switchboard-provider-azure",
      "bedrock", "dev.switchboard:switchboard-provider-aws");

  private final Map<String, List<ProviderFactory>> candidates;
  private final Map<String, ProviderFactory> explicit;
  private final List<String> problems;

  private ProviderDiscovery(Map<String, List<ProviderFactory>> candidates, Map<String, ProviderFactory> explicit, List<String> problems) {
    this.candidates = candidates;
    this.explicit = explicit;
    this.problems = problems;
  }

  /** Scans {@code loader} (when {@code scan}) and records the explicit factories. */
  public static ProviderDiscovery discover(ClassLoader loader, List<ProviderFactory> explicitFactories, boolean scan) {
    Map<String, ProviderFactory> explicit = new LinkedHashMap<>();
    for (ProviderFactory f : explicitFactories) {
      String versionProblem = versionProblem(f);
      if (versionProblem != null) throw new IllegalArgumentException(versionProblem);
      ProviderFactory previous = explicit.put(f.type(), f);
      if (previous != null && previous.getClass() != f.getClass()) {
        throw new IllegalArgumentException("two provider factories given for type '" + f.type() + "': "
            + previous.getClass().getName() + " and " + f.getClass().getName());
      }
    }
    Map<String, List<ProviderFactory>> candidates = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    if (scan) {
      Iterator<ProviderFactory> it = ServiceLoader.load(ProviderFactory.class, loader).iterator();
      while (true) {
        try {
          if (!it.hasNext()) break;
          ProviderFactory f = it.next();
          String versionProblem = versionProblem(f);
          if (versionProblem != null) {
            String p = versionProblem + "; it is ignored";
            log.warn(p);
            problems.add(p);
            continue;
          }
          List<ProviderFactory> list = candidates.computeIfAbsent(f.type(), t -> new ArrayList<>());
          if (list.stream().noneMatch(existing -> existing.getClass() == f.getClass())) list.add(f);
        } catch (ServiceConfigurationError e) {
          String p = "a provider factory on the classpath could not be loaded and is ignored: " + e.getMessage();
          log.warn(p, e);
          problems.add(p);
        }
      }
    }
    return new ProviderDiscovery(candidates, explicit, problems);
  }

  /**
   * Why {@code f} cannot be used with this core, or null. A factory compiled against SPI version 1
   * has no {@code specVersion()} of its own (it inherited a default, which no longer exists), so
   * calling it throws {@link AbstractMethodError}: such a factory is from before version 2.
   */
  private static String versionProblem(ProviderFactory f) {
    int version;
    try {
      version = f.specVersion();
    } catch (AbstractMethodError e) {
      return "provider factory " + f.getClass().getName() + " was built against SPI version 1 (it has no"
          + " specVersion() of its own) but this core implements " + ProviderFactory.SPEC_VERSION
          + "; rebuild the provider against this core";
    }
    if (version == ProviderFactory.SPEC_VERSION) return null;
    return "provider factory " + f.getClass().getName() + " implements SPI version " + version
        + " but this core implements " + ProviderFactory.SPEC_VERSION
        + (version < ProviderFactory.SPEC_VERSION ? "; rebuild the provider against this core" : "");
  }

  /**
   * The factory for {@code type}.
   *
   * @throws IllegalArgumentException for an unknown type (listing the known ones) or a type two
   *     classpath factories claim (naming both)
   */
  public ProviderFactory resolve(String type) {
    ProviderFactory f = explicit.get(type);
    if (f != null) return f;
    List<ProviderFactory> found = candidates.getOrDefault(type, List.of());
    if (found.size() == 1) return found.get(0);
    if (found.isEmpty()) throw new IllegalArgumentException(unknownType(type));
    String chosen = System.getProperty("switchboard.provider." + type);
    List<String> names = found.stream().map(x -> x.getClass().getName()).toList();
    if (chosen != null) {
      for (ProviderFactory candidate : found) {
        if (candidate.getClass().getName().equals(chosen)) return candidate;
      }
      throw new IllegalArgumentException("system property switchboard.provider." + type + "=" + chosen
          + " names none of the factories found: " + names);
    }
    throw new IllegalArgumentException("provider type '" + type + "' is claimed by " + found.size()
        + " factories: " + names + "; remove one from the classpath or set the system property switchboard.provider."
        + type + " to the class to use");
  }

  /**
   * Why {@code type} cannot be served: for one of this project's types, the artifact to put on
   * the classpath; for another, the nearest known type (and its artifact when that is missing
   * too), else the known types.
   */
  public String unknownType(String type) {
    TreeSet<String> available = knownTypes();
    String artifact = ARTIFACTS.get(type);
    String msg;
    if (artifact != null) {
      msg = "type '" + type + "' needs " + artifact + " on the classpath (no provider factory for it was found; a shaded"
          + " jar must merge META-INF/services)";
    } else {
      TreeSet<String> all = new TreeSet<>(available);
      all.addAll(ARTIFACTS.keySet());
      msg = "unknown provider type '" + type + "'" + Suggestions.nearest(type, all)
          .map(n -> "; did you mean '" + n + "'?" + (available.contains(n) ? "" : " (provided by " + ARTIFACTS.get(n) + ")"))
          .orElse("; known types: " + available + "; add the provider module to the classpath or pass its factory to Switchboard.Builder.providerFactory (ConfigLoader.withProviderFactory for a file)");
    }
    return problems.isEmpty() ? msg : msg + " (discovery problems: " + problems + ")";
  }

  /** Every type that can be resolved, sorted. */
  public TreeSet<String> knownTypes() {
    TreeSet<String> types = new TreeSet<>(explicit.keySet());
    types.addAll(candidates.keySet());
    return types;
  }
}
