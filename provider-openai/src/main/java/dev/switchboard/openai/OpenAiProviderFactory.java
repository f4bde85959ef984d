package dev.switchboard.openai;

import dev.switchboard.Deployment;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Registers deployment type {@code openai}: OpenAI's Chat Completions API and any server that
 * speaks it, or with setting {@code api: responses} the Responses API. The settings it reads are listed on {@link OpenAiProvider}; unknown ones are
 * rejected with an {@link IllegalArgumentException} naming them.
 */
public final class OpenAiProviderFactory implements ProviderFactory {
  /** The factory {@code ServiceLoader} instantiates. */
  public OpenAiProviderFactory() {}

  @Override
  public String type() {
    return OpenAiProvider.TYPE;
  }

  /** The SPI version this factory was compiled against: a literal, never core's constant. */
  @Override
  public int specVersion() {
    return 3;
  }

  @Override
  public Set<String> settingKeys() {
    return OpenAiSettings.KEYS;
  }

  @Override
  public List<String> validate(Deployment deployment, HttpSettings http) {
    return OpenAiSettings.problems(deployment, http.allowPlainHttp());
  }

  @Override
  public ChatProvider create(Deployment deployment, ProviderContext context) {
    Objects.requireNonNull(deployment, "deployment == null");
    Objects.requireNonNull(context, "context == null");
    if (!deployment.type().equals(type())) {
      throw new IllegalArgumentException("deployments." + deployment.name() + ": type '" + deployment.type()
          + "' given to the " + type() + " provider factory");
    }
    OpenAiSettings settings = OpenAiSettings.parse(deployment, context.http().allowPlainHttp());
    return new OpenAiProvider(deployment.name(), settings, context);
  }
}
