package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Deployment;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.Target;
import dev.switchboard.HttpSettings;
import dev.switchboard.internal.ProviderDiscovery;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.RoutingStrategy;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.state.SharedStateFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a YAML or JSON configuration file onto the same builders as the Java API.
 *
 * <pre>{@code
 * deployments:
 *   azure-east:
 *     type: azure-openai            # provider type
 *     region: eastus                # region tag for routing (optional)
 *     endpoint: https://my.openai.azure.com
 *     api-key: ${AZURE_OPENAI_API_KEY}  # secrets: ${VAR}, ${VAR:-default}, {file: /run/secrets/x} or {env: VAR}
 *   bedrock-west:
 *     type: bedrock
 *     region: us-west-2
 *     circuit-breaker: {minimum-calls: 5}   # per deployment, over resilience.circuit-breaker
 *     bulkhead: {max-concurrent-calls: 32}
 *     limits: {requests-per-minute: 600, tokens-per-minute: 200000}
 * models:
 *   chat:
 *     strategy: priority            # or {type: least-latency, exploration: 0.05}; see below
 *     targets:
 *       - {deployment: azure-east, model: gpt-4o}
 *       - {deployment: bedrock-west, model: openai.gpt-oss-120b-1:0, price: {input-per-1k: 0.00015, output-per-1k: 0.0006}}
 *     resilience:                   # this alias's retry/failover/timeouts/hedging, over the top level
 *       timeouts: {call: 20s}
 * resilience:                       # defaults for every alias and deployment
 *   retry: {max-retries: 1, initial-backoff: 100ms, max-backoff: 2s, multiplier: 2, max-retry-after: 2s,
 *           retry-on: [rate-limited, unavailable, server-error, timeout, network]}
 *   failover: {failover-on: [...], content-filtered: false, context-length-exceeded: false, on-content-filter-finish: false}
 *   timeouts: {call: 30s, attempt: 10s, first-event: 5s, stream-idle: 60s}
 *   hedging: {mode: fixed, delay: 800ms, max-hedges: 1}     # present = on, unless enabled: false
 *   stream-restart: false
 *   circuit-breaker: {failure-rate-threshold: 50, window-type: count, sliding-window-size: 20, minimum-calls: 10,
 *                     wait-in-open: 30s, permitted-calls-in-half-open: 2}
 *   bulkhead: {max-concurrent-calls: 64, when-full: next-target, max-wait: 0s}
 *   cooldown: {floor: 1s, max: 5m, quota-exhausted: 60s}
 *   retry-budget: {ratio: 0.2, min-per-second: 1, window: 10s}
 * http:
 *   connect-timeout: 5s
 *   read-timeout: 60s
 * timeout: 30s                      # shorthand for resilience.timeouts.call (give one of the two)
 * }</pre>
 *
 * <p>Strategies: {@code priority}, {@code weighted}, {@code round-robin}, {@code least-latency}
 * ({@code exploration}), {@code least-in-flight}, {@code lowest-cost}
 * ({@code assumed-output-tokens}), {@code quota-aware}, {@code region-affinity} ({@code region},
 * and {@code then}: the strategy inside each region group). Error kinds are written in lower
 * case with hyphens ({@code rate-limited}). Every section starts from the documented defaults of
 * its policy type ({@link dev.switchboard.resilience.RetryPolicy} and its siblings); an alias's
 * section changes only the fields it names.
 *
 * <p>Any other key of a deployment is a provider setting, checked in the same pass through the
 * provider factory's {@link ProviderFactory#settingKeys()} and {@link ProviderFactory#validate};
 * an unknown {@code type} is reported with the nearest known type, and a type of this project
 * whose module is missing names the artifact to add. A factory that is not on the classpath (or
 * carries state such as token suppliers) is given with {@link #withProviderFactory}. Keys named
 * {@code *-key}, {@code *-secret}, {@code *-token}, {@code password} or {@code access-key-id}
 * are secrets: wrapped in {@link Secret}, never echoed. A {@code {file: ...}} secret must be a
 * regular file of at most {@value #MAX_SECRET_FILE_BYTES} bytes (surrounding white space is dropped). Every problem is collected and reported
 * together in one {@link ConfigException}, one per line, each starting with its path
 * ({@code deployments.azure-east.endpiont: unknown key; did you mean 'endpoint'?}); a missing
 * environment variable is named (its would-be value never is). Problems found only when the
 * switchboard is built (a deployment whose credentials depend on code) name the file too.
 */
public final class ConfigLoader {
  private static final Set<String> TOP = Set.of("deployments", "models", "http", "timeout", "resilience", "shared-state");
  private static final Set<String> DEPLOYMENT_RESERVED = Set.of("type", "region", "circuit-breaker", "bulkhead", "limits");
  private static final Set<String> ALIAS_KEYS = Set.of("targets", "strategy", "resilience");
  private static final Set<String> TARGET_KEYS = Set.of("deployment", "model", "priority", "weight", "region", "price", "context-window");
  private static final Set<String> PRICE_KEYS = Set.of("input-per-1k", "output-per-1k");
  private static final Set<String> HTTP_KEYS = Set.of("connect-timeout", "read-timeout", "write-timeout", "max-requests",
      "max-requests-per-host", "max-idle-connections", "keep-alive", "max-response-bytes", "max-stream-line-bytes", "max-stream-bytes", "allow-plain-http");

  /** The most a {@code {file: ...}} secret may hold: {@value} bytes (16 KiB). */
  public static final int MAX_SECRET_FILE_BYTES = 16 * 1024;

  /** The largest configuration document read by default: {@value} bytes (1 MiB). */
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024;

  private final Function<String, String> environment;
  private final int maxDocumentBytes;
  private final java.util.List<ProviderFactory> factories;

  private ConfigLoader(Function<String, String> environment, int maxDocumentBytes, java.util.List<ProviderFactory> factories) {
    this.environment = environment;
    this.maxDocumentBytes = maxDocumentBytes;
    this.factories = java.util.List.copyOf(factories);
  }

  /** A loader that reads {@code ${VAR}} from the process environment. */
  public static ConfigLoader create() {
    return new ConfigLoader(System::getenv, DEFAULT_MAX_DOCUMENT_BYTES, java.util.List.of());
  }

  /** A loader that reads {@code ${VAR}} from {@code environment} (for tests). */
  public static ConfigLoader withEnvironment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment == null");
    return new ConfigLoader(environment::get, DEFAULT_MAX_DOCUMENT_BYTES, java.util.List.of());
  }

  /**
   * A copy of this loader that refuses documents over {@code maxBytes} (default
   * {@value #DEFAULT_MAX_DOCUMENT_BYTES}). The size is checked before anything is parsed, so an
   * oversized document fails at once instead of after a long parse.
   */
  public ConfigLoader withMaxDocumentBytes(int maxBytes) {
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1");
    return new ConfigLoader(environment, maxBytes, factories);
  }

  /**
   * A copy of this loader that checks deployments of {@code factory}'s type with {@code factory}
   * and registers it on the builders it returns (as {@link Switchboard.Builder#providerFactory}
   * does). A file is checked against the factories the loader can see, so a factory that is not
   * on the classpath, or one carrying state such as token suppliers, belongs here rather than on
   * the returned builder.
   */
  public ConfigLoader withProviderFactory(ProviderFactory factory) {
    Objects.requireNonNull(factory, "factory == null");
    java.util.List<ProviderFactory> all = new java.util.ArrayList<>(factories);
    all.add(factory);
    return new ConfigLoader(environment, maxDocumentBytes, all);
  }

  /** Reads {@code file} (YAML, or JSON, which is YAML too) into a builder. */
  public Switchboard.Builder load(Path file) {
    String source = file.toString();
    try {
      if (Files.isRegularFile(file) && Files.size(file) > maxDocumentBytes) throw tooLarge(source);
      try (InputStream in = Files.newInputStream(file)) {
        return load(read(in, source), source);
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, java.util.List.of("file not found"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration " + file, e);
    }
  }

  /** Reads a YAML or JSON document from {@code in} into a builder. */
  public Switchboard.Builder load(InputStream in) {
    try {
      return load(read(in, null), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration", e);
    }
  }

  /** At most one byte past the limit is read, whatever the stream (or the file system) says its size is. */
  private String read(InputStream in, String source) throws IOException {
    byte[] bytes = in.readNBytes(maxDocumentBytes + 1);
    if (bytes.length > maxDocumentBytes) throw tooLarge(source);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private ConfigException tooLarge(String source) {
    String limit = maxDocumentBytes % (1024 * 1024) == 0 ? maxDocumentBytes / (1024 * 1024) + " MiB"
        : maxDocumentBytes % 1024 == 0 ? maxDocumentBytes / 1024 + " KiB" : maxDocumentBytes + " bytes";
    return new ConfigException(source, java.util.List.of("the document is larger than " + limit + " (" + maxDocumentBytes
        + " bytes), the limit for a configuration (ConfigLoader.withMaxDocumentBytes raises it); nothing was parsed"));
  }

  private Switchboard.Builder load(String text, String source) {
    YamlDocument document = YamlDocument.parse(text, source);
    JsonNode root = document.root();
    ConfigNode.Context context = new ConfigNode.Context(environment);
    context.problems.addAll(document.duplicates());
    Switchboard.Builder builder = Switchboard.builder();
    if (source != null) builder.configSource(source);
    factories.forEach(builder::providerFactory);
    if (root == null || !root.isObject()) {
      throw new ConfigException(source, java.util.List.of("the document must be a mapping with 'deployments' and 'models'"));
    }
    ConfigNode top = new ConfigNode(root, "", context);
    top.checkKeys(TOP);
    ResilienceSection.Defaults defaults = top.get("resilience").map(r -> ResilienceSection.top(r, builder))
        .orElse(ResilienceSection.Defaults.NONE);
    // Read before the deployments: whether plain http is allowed decides if an endpoint is valid.
    HttpSettings http = top.get("http").map(ConfigLoader::http).orElse(HttpSettings.DEFAULTS);
    builder.http(http);
    top.get("deployments").ifPresentOrElse(d -> deployments(d, builder, defaults, http),
        () -> context.problems.add("deployments: missing"));
    // The deployments a target may name; null (not checked) when the section itself is missing or broken.
    Set<String> deploymentNames = top.get("deployments").filter(d -> d.node.isObject())
        .map(d -> (Set<String>) new java.util.TreeSet<>(d.entries().stream().map(Map.Entry::getKey).toList())).orElse(null);
    top.get("models").ifPresentOrElse(m -> models(m, builder, defaults, deploymentNames),
        () -> context.problems.add("models: missing"));
    top.get("shared-state").ifPresent(n -> sharedState(n, builder));
    // 'timeout' is a shorthand for resilience.timeouts.call: the default deadline of every call.
    top.get("timeout").flatMap(ConfigNode::duration).ifPresent(d -> {
      if (d.isNegative() || d.isZero()) {
        top.get("timeout").get().problem("must be positive");
      } else if (defaults.routing().timeouts().call().isPresent()) {
        top.get("timeout").get().problem("sets the deadline resilience.timeouts.call already sets; keep one");
      } else {
        builder.routing(defaults.routing().toBuilder().timeouts(defaults.routing().timeouts().toBuilder().call(d).build()).build());
      }
    });
    if (!context.problems.isEmpty()) throw new ConfigException(source, context.problems);
    return builder;
  }

  private void deployments(ConfigNode node, Switchboard.Builder builder, ResilienceSection.Defaults defaults, HttpSettings http) {
    if (!node.isObject()) return;
    if (node.node.isEmpty()) node.problem("no deployment is defined");
    ProviderDiscovery discovery = ProviderDiscovery.discover(Switchboard.class.getClassLoader(), factories, true);
    for (Map.Entry<String, ConfigNode> e : node.entries()) {
      ConfigNode d = e.getValue();
      if (!d.isObject()) continue;
      String type = d.get("type").flatMap(ConfigNode::text).orElse(null);
      if (type == null && d.get("type").isEmpty()) d.problem("missing 'type' (e.g. openai, azure-openai, bedrock, mock)");
      if (type == null) continue;
      ProviderFactory factory = factory(discovery, type, d.get("type").get());
      Set<String> providerKeys = factory == null ? Set.of() : factory.settingKeys();
      // Keys whose problems the provider need not repeat: values that could not be read (already
      // reported), and an absent key suggested for a misspelt one ("missing" would say it twice).
      Set<String> quiet = new java.util.HashSet<>();
      if (!providerKeys.isEmpty()) {
        Set<String> valid = new java.util.HashSet<>(providerKeys);
        valid.addAll(DEPLOYMENT_RESERVED);
        d.checkKeys(valid);
        for (Map.Entry<String, ConfigNode> s : d.entries()) {
          if (!valid.contains(s.getKey())) {
            Suggestions.nearest(s.getKey(), valid).filter(n -> d.get(n).isEmpty()).ifPresent(quiet::add);
          }
        }
      }
      Deployment.Builder b = Deployment.builder(e.getKey(), type);
      d.get("region").flatMap(ConfigNode::text).ifPresent(b::region);
      for (Map.Entry<String, ConfigNode> s : d.entries()) {
        String key = s.getKey();
        // An unknown key is reported above, with the nearest known one; the provider is not asked about it again.
        if (DEPLOYMENT_RESERVED.contains(key) || (!providerKeys.isEmpty() && !providerKeys.contains(key))) continue;
        Optional<?> value = isSecret(key) ? secret(s.getValue()).map(v -> b.secret(key, v)) : s.getValue().text().map(v -> b.setting(key, v));
        if (value.isEmpty()) quiet.add(key);
      }
      d.get("circuit-breaker").ifPresent(n -> b.circuitBreaker(ResilienceSection.circuitBreaker(n, defaults.circuitBreaker())));
      d.get("bulkhead").ifPresent(n -> b.bulkhead(ResilienceSection.bulkhead(n, defaults.bulkhead())));
      d.get("limits").ifPresent(n -> b.limits(ResilienceSection.limits(n)));
      try {
        Deployment deployment = b.build();
        builder.deployment(deployment);
        if (factory != null) {
          for (String problem : factory.validate(deployment, http)) {
            if (quiet.stream().noneMatch(k -> problem.startsWith(d.child(k) + ":"))) d.context.problems.add(problem);
          }
        }
      } catch (IllegalArgumentException ex) {
        d.problem(ex.getMessage());
      }
    }
  }

  /** The factory serving {@code type}, or null with a problem on {@code typeNode} (see {@link ProviderDiscovery#unknownType}). */
  private static ProviderFactory factory(ProviderDiscovery discovery, String type, ConfigNode typeNode) {
    if (!discovery.knownTypes().contains(type)) {
      typeNode.problem(discovery.unknownType(type));
      return null;
    }
    try {
      return discovery.resolve(type);
    } catch (IllegalArgumentException ex) {
      typeNode.problem(ex.getMessage()); // two factories claim the type
      return null;
    }
  }

  /** {@code shared-state: {redis: {uri: ..., namespace: ...}}}: one store, made when the switchboard is built. */
  private static void sharedState(ConfigNode node, Switchboard.Builder builder) {
    if (!node.isObject() || node.entries().size() != 1) {
      node.problem("must name one store, e.g. shared-state: {redis: {uri: redis://host:6379}}");
      return;
    }
    Map.Entry<String, ConfigNode> store = node.entries().get(0);
    String type = store.getKey();
    ConfigNode settings = store.getValue();
    java.util.List<SharedStateFactory> factories = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(SharedStateFactory.class, ConfigLoader.class.getClassLoader()).forEach(factories::add);
    SharedStateFactory factory = factories.stream().filter(f -> f.type().equals(type)).findFirst().orElse(null);
    if (factory == null) {
      Set<String> known = new java.util.TreeSet<>(Set.of("redis")); // the store this project ships
      factories.forEach(f -> known.add(f.type()));
      if (known.contains(type)) {
        settings.problem("no shared-state store of type '" + type + "' on the classpath; add the artifact "
            + "dev.switchboard:switchboard-" + type);
      } else {
        settings.problem("unknown shared-state store '" + type + "'" + Suggestions.nearest(type, known)
            .map(n -> "; did you mean '" + n + "'? (artifact dev.switchboard:switchboard-" + n + ")").orElse("; known: " + known));
      }
      return;
    }
    if (!settings.isObject()) {
      settings.problem("must be a mapping of settings, e.g. {uri: redis://host:6379}");
      return;
    }
    settings.checkKeys(factory.settings());
    Map<String, String> values = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> s : settings.entries()) {
      if (!factory.settings().contains(s.getKey())) continue;
      if (factory.durationSettings().contains(s.getKey())) s.getValue().duration().ifPresent(d -> values.put(s.getKey(), d.toString()));
      else s.getValue().text().ifPresent(v -> values.put(s.getKey(), v));
    }
    java.util.List<String> problems = factory.validate(values);
    for (String problem : problems) {
      // A store's "key: problem" is reported at the key's own path, as every other setting is.
      int colon = problem.indexOf(": ");
      String key = colon > 0 ? problem.substring(0, colon) : "";
      if (factory.settings().contains(key)) settings.context.problems.add(settings.child(key) + problem.substring(colon));
      else settings.problem(problem);
    }
    if (problems.isEmpty()) builder.sharedState(factory, values);
  }

  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.endsWith("key") || k.endsWith("secret") || k.endsWith("token") || k.equals("password") || k.equals("access-key-id");
  }

  private static java.util.Optional<Secret> secret(ConfigNode node) {
    java.util.Optional<String> value;
    if (node.node.isObject()) {
      node.checkKeys(Set.of("file", "env"));
      if (node.get("file").isPresent()) {
        value = node.get("file").flatMap(ConfigNode::text).flatMap(f -> secretFile(node, f));
      } else if (node.get("env").isPresent()) {
        value = node.get("env").flatMap(ConfigNode::text).flatMap(v -> node.substitute("${" + v + "}"));
      } else {
        node.problem("a secret mapping needs 'file' or 'env'");
        value = java.util.Optional.empty();
      }
    } else {
      value = node.text();
    }
    return value.flatMap(v -> {
      if (v.isBlank()) {
        node.problem("secret is empty");
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(Secret.of(v));
    });
  }

  /**
   * Reads a secret file of at most {@link #MAX_SECRET_FILE_BYTES}: only a regular file is opened
   * (a FIFO with no writer would block start-up, {@code /dev/zero} would never end), and the read
   * stops one byte past the limit whatever size the file system reports ({@code /proc} files say 0).
   * Problems name the key and the file, never what was read.
   */
  private static java.util.Optional<String> secretFile(ConfigNode node, String file) {
    Path path;
    try {
      path = Path.of(file);
    } catch (java.nio.file.InvalidPathException e) {
      node.problem("secret file " + file + " is not a valid path");
      return java.util.Optional.empty();
    }
    if (!Files.exists(path)) {
      node.problem("secret file " + file + " does not exist");
      return java.util.Optional.empty();
    }
    if (!Files.isRegularFile(path)) {
      node.problem("secret file " + file + " is not a regular file (a device, FIFO or directory is never read)");
      return java.util.Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
    } catch (IOException e) {
      node.problem("cannot read secret file " + file + " (" + e.getClass().getSimpleName() + ")");
      return java.util.Optional.empty();
    }
    if (bytes.length > MAX_SECRET_FILE_BYTES) {
      node.problem("secret file " + file + " is larger than " + MAX_SECRET_FILE_BYTES / 1024 + " KiB; a secret file holds one value");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new String(bytes, StandardCharsets.UTF_8).strip());
  }

  private static void models(ConfigNode node, Switchboard.Builder builder, ResilienceSection.Defaults defaults,
      Set<String> deploymentNames) {
    if (!node.isObject()) return;
    if (node.node.isEmpty()) node.problem("no model alias is defined");
    for (Map.Entry<String, ConfigNode> e : node.entries()) {
      ConfigNode m = e.getValue();
      if (!m.isObject()) continue;
      m.checkKeys(ALIAS_KEYS);
      ModelAlias.Builder alias = ModelAlias.builder(e.getKey());
      ConfigNode targets = m.get("targets").orElse(null);
      if (targets == null) {
        m.problem("missing 'targets'");
        continue;
      }
      int count = 0;
      for (ConfigNode t : targets.elements()) {
        Target target = target(t, count, deploymentNames);
        if (target != null) {
          alias.target(target);
          count++;
        }
      }
      Optional<ConfigNode> strategy = m.get("strategy");
      Optional<ConfigNode> resilience = m.get("resilience");
      if (strategy.isPresent() || resilience.isPresent()) {
        RoutingPolicy policy = resilience.map(r -> ResilienceSection.alias(r, defaults.routing())).orElse(defaults.routing());
        Optional<RoutingStrategy> s = strategy.flatMap(StrategySection::strategy);
        if (s.isPresent()) policy = policy.toBuilder().strategy(s.get()).build();
        alias.routing(policy);
      }
      if (count > 0 && count == targets.node.size()) builder.model(alias.build());
      else if (targets.node.isArray() && targets.node.isEmpty()) targets.problem("no targets");
    }
  }

  private static Target target(ConfigNode t, int position, Set<String> deploymentNames) {
    if (!t.isObject()) return null;
    t.checkKeys(TARGET_KEYS);
    String deployment = t.get("deployment").flatMap(ConfigNode::text).orElse(null);
    String model = t.get("model").flatMap(ConfigNode::text).orElse(null);
    if (t.get("deployment").isEmpty()) t.problem("missing 'deployment'");
    if (t.get("model").isEmpty()) t.problem("missing 'model' (the provider-side model id or deployment name)");
    if (deployment != null && deploymentNames != null && !deploymentNames.contains(deployment)) {
      t.get("deployment").get().problem("unknown deployment '" + deployment + "'"
          + Suggestions.hint(deployment, deploymentNames, "deployments"));
    }
    if (deployment == null || model == null) return null;
    // Ranges are checked here, not left to Target's constructor, so that each problem names the file's key.
    Optional<Integer> priority = atLeast(t, "priority", 0);
    Optional<Integer> weight = atLeast(t, "weight", 0);
    Optional<Integer> window = atLeast(t, "context-window", 1);
    Optional<String> region = t.get("region").flatMap(ConfigNode::text);
    Optional<Target.Price> price = Optional.empty();
    Optional<ConfigNode> priceNode = t.get("price");
    if (priceNode.isPresent() && priceNode.get().isObject()) {
      priceNode.get().checkKeys(PRICE_KEYS);
      Optional<Double> in = notNegative(priceNode.get(), "input-per-1k");
      Optional<Double> out = notNegative(priceNode.get(), "output-per-1k");
      if (in.isPresent() && out.isPresent()) price = Optional.of(new Target.Price(in.get(), out.get()));
      else priceNode = Optional.empty();
    }
    if (t.get("priority").isPresent() && priority.isEmpty() || t.get("weight").isPresent() && weight.isEmpty()
        || t.get("context-window").isPresent() && window.isEmpty() || t.get("price").isPresent() && priceNode.isEmpty()) {
      return null;
    }
    try {
      Target target = Target.of(deployment, model).withPriority(priority.orElse(position)).withWeight(weight.orElse(1));
      if (region.isPresent()) target = target.withRegion(region.get());
      if (window.isPresent()) target = target.withContextWindow(window.get());
      if (price.isPresent()) target = target.withPrice(price.get());
      return target;
    } catch (IllegalArgumentException e) {
      t.problem(e.getMessage());
      return null;
    }
  }

  /** {@code key}'s whole number if present, readable and at least {@code min}; else empty (with a problem when present). */
  private static Optional<Integer> atLeast(ConfigNode n, String key, int min) {
    Optional<ConfigNode> node = n.get(key);
    Optional<Integer> v = node.flatMap(ConfigNode::integer);
    if (v.isPresent() && v.get() < min) {
      node.get().problem(min == 0 ? "must not be negative" : "must be at least " + min);
      return Optional.empty();
    }
    return v;
  }

  /** {@code key}'s number (0 when absent), or empty with a problem when it is not a number or negative. */
  private static Optional<Double> notNegative(ConfigNode n, String key) {
    Optional<ConfigNode> node = n.get(key);
    if (node.isEmpty()) return Optional.of(0.0);
    Optional<Double> v = node.get().decimal();
    if (v.isPresent() && v.get() < 0) {
      node.get().problem("must not be negative");
      return Optional.empty();
    }
    return v;
  }

  private static int atLeast(ConfigNode h, String key, int min, int otherwise) {
    return atLeast(h, key, min).orElse(otherwise);
  }

  /** Checked here, not by {@link HttpSettings}' constructor, so that each problem names the file's key ({@code http.max-requests}). */
  private static HttpSettings http(ConfigNode h) {
    HttpSettings s = HttpSettings.DEFAULTS;
    if (!h.isObject()) return s;
    h.checkKeys(HTTP_KEYS);
    java.time.Duration connect = positive(h, "connect-timeout", s.connectTimeout());
    java.time.Duration read = positive(h, "read-timeout", s.readTimeout());
    java.time.Duration write = positive(h, "write-timeout", s.writeTimeout());
    java.time.Duration keepAlive = positive(h, "keep-alive", s.keepAlive());
    int maxRequests = atLeast(h, "max-requests", 1, s.maxRequests());
    int perHost = atLeast(h, "max-requests-per-host", 1, s.maxRequestsPerHost());
    int idle = atLeast(h, "max-idle-connections", 0, s.maxIdleConnections());
    long maxBytes = h.get("max-response-bytes").flatMap(ConfigNode::longValue).orElse(s.maxResponseBytes());
    if (maxBytes < 1024) {
      h.get("max-response-bytes").get().problem("must be at least 1024");
      maxBytes = s.maxResponseBytes();
    }
    int maxLine = atLeast(h, "max-stream-line-bytes", 1024, s.maxStreamLineBytes());
    long maxStream = h.get("max-stream-bytes").flatMap(ConfigNode::longValue).orElse(s.maxStreamBytes());
    if (maxStream < 1024) {
      h.get("max-stream-bytes").get().problem("must be at least 1024");
      maxStream = s.maxStreamBytes();
    }
    boolean plain = h.get("allow-plain-http").flatMap(ConfigNode::bool).orElse(s.allowPlainHttp());
    return new HttpSettings(connect, read, write, maxRequests, perHost, idle, keepAlive, maxBytes, maxLine, plain, maxStream);
  }

  private static java.time.Duration positive(ConfigNode h, String key, java.time.Duration otherwise) {
    Optional<java.time.Duration> d = h.get(key).flatMap(ConfigNode::duration);
    if (d.isEmpty()) return otherwise;
    if (d.get().isNegative() || d.get().isZero()) {
      h.get(key).get().problem("must be positive");
      return otherwise;
    }
    return d.get();
  }
}
