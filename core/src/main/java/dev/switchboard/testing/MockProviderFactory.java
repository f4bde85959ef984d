package dev.switchboard.testing;

import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Suggestions;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Type {@code mock}, found through {@link java.util.ServiceLoader} like a real provider, for
 * configuration files and demos. Settings: {@code reply} (the text every call gets; default
 * "mock reply"), {@code fail} (an {@link ErrorKind} name every call fails with instead), and
 * {@code latency-ms}. For scripted behaviour, build a {@link MockProvider} in code instead.
 */
public final class MockProviderFactory implements ProviderFactory {
  private static final Set<String> KEYS = Set.of("reply", "fail", "latency-ms");

  /** The factory {@code ServiceLoader} instantiates. */
  public MockProviderFactory() {}

  @Override
  public String type() {
    return "mock";
  }

  /** The SPI version this factory was compiled against: a literal, never core's constant. */
  @Override
  public int specVersion() {
    return 3;
  }

  // No settingKeys(): configuration tests read secret files through mock deployments, which only
  // happens for keys the loader passes on; validate() reports unknown keys instead.
  @Override
  public List<String> validate(Deployment deployment, HttpSettings http) {
    return problems(deployment);
  }

  @Override
  public ChatProvider create(Deployment deployment, ProviderContext context) {
    List<String> problems = problems(deployment);
    if (!problems.isEmpty()) throw new ConfigException(null, problems);
    MockProvider mock = MockProvider.create(context.scheduler());
    deployment.setting("latency-ms").ifPresent(v -> mock.latency(Duration.ofMillis(Long.parseLong(v))));
    String fail = deployment.setting("fail").orElse(null);
    if (fail != null) mock.otherwiseFail(errorKind(fail));
    else mock.otherwiseReply(deployment.setting("reply").orElse("mock reply"));
    return mock;
  }

  private static List<String> problems(Deployment deployment) {
    String where = "deployments." + deployment.name();
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(deployment.settings().keySet())) {
      if (!KEYS.contains(key)) problems.add(Suggestions.unknownKey(where, key, KEYS));
    }
    for (String key : new TreeSet<>(deployment.secrets().keySet())) {
      problems.add(where + "." + key + ": mock deployments take no secrets");
    }
    deployment.setting("latency-ms").ifPresent(v -> {
      try {
        if (Long.parseLong(v) < 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        problems.add(where + ".latency-ms: '" + v + "' is not a non-negative integer");
      }
    });
    deployment.setting("fail").ifPresent(fail -> {
      try {
        errorKind(fail);
      } catch (IllegalArgumentException e) {
        List<String> kinds = java.util.Arrays.stream(ErrorKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        problems.add(where + ".fail: '" + fail + "' is not an error kind" + Suggestions.hint(fail, kinds, "one of"));
      }
    });
    return problems;
  }

  private static ErrorKind errorKind(String name) {
    return ErrorKind.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
