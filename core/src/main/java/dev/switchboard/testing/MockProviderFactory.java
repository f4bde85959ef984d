package dev.switchboard.testing;

import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Type {@code mock}, found through {@link java.util.ServiceLoader} like a real provider, for
 * configuration files and demos. Settings: {@code reply} (the text every call gets; default
 * "mock reply"), {@code fail} (an {@link ErrorKind} name every call fails with instead), and
 * {@code latency-ms}. For scripted behaviour, build a {@link MockProvider} in code instead.
 */
public final class MockProviderFactory implements ProviderFactory {
  private static final Set<String> KEYS = Set.of("reply", "fail", "latency-ms");

  @Override
  public String type() {
    return "mock";
  }

  /** The SPI version this factory was compiled against: a literal, never core's constant. */
  @Override
  public int specVersion() {
    return 2;
  }

  @Override
  public ChatProvider create(Deployment deployment, ProviderContext context) {
    List<String> problems = new ArrayList<>();
    for (String key : deployment.settings().keySet()) {
      if (!KEYS.contains(key)) problems.add("unknown setting '" + key + "' (known: " + new java.util.TreeSet<>(KEYS) + ")");
    }
    if (!deployment.secrets().isEmpty()) problems.add("mock deployments take no secrets");
    MockProvider mock = MockProvider.create(context.scheduler());
    deployment.setting("latency-ms").ifPresent(v -> {
      try {
        long ms = Long.parseLong(v);
        if (ms < 0) throw new NumberFormatException();
        mock.latency(Duration.ofMillis(ms));
      } catch (NumberFormatException e) {
        problems.add("latency-ms '" + v + "' is not a non-negative integer");
      }
    });
    String fail = deployment.setting("fail").orElse(null);
    if (fail != null) {
      try {
        mock.otherwiseFail(ErrorKind.valueOf(fail.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        problems.add("fail '" + fail + "' is not an error kind (one of " + List.of(ErrorKind.values()) + ")");
      }
    } else {
      mock.otherwiseReply(deployment.setting("reply").orElse("mock reply"));
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return mock;
  }
}
