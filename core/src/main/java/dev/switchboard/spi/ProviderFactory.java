package dev.switchboard.spi;

import dev.switchboard.Deployment;
import dev.switchboard.HttpSettings;
import java.util.List;
import java.util.Set;

/**
 * What a provider module registers in {@code META-INF/services/dev.switchboard.spi.ProviderFactory}.
 * It names the deployment type it serves and builds a {@link ChatProvider} for one configured
 * {@link Deployment}. Implementations need a public no-argument constructor and must be
 * thread-safe.
 */
public interface ProviderFactory {

  /**
   * The SPI version this core implements. A factory built against another version is refused.
   * Version 2: {@link #specVersion()} became abstract, so that the version is compiled into each
   * factory; a version-1 factory (which inherited a default reading the running core's constant)
   * cannot say which SPI it was built against and is refused.
   * Version 3: {@link ProviderCall#request()} is a {@link ProviderRequest}, the provider's view of
   * the call, instead of the user's {@link dev.switchboard.ChatRequest} (which keeps the alias,
   * timeout and direct target to the engine), so that the user API can grow without changing what
   * providers receive. A version-2 factory's provider would fail on its first call; discovery
   * refuses it up front, naming both versions and asking for a rebuild against this core.
   */
  int SPEC_VERSION = 3;

  /** The deployment type served, e.g. {@code openai}, {@code azure-openai}, {@code bedrock}, {@code mock}. */
  String type();

  /**
   * The SPI version this factory was written against, as a literal in the factory's own code
   * ({@code return 3;}): the value must be fixed when the factory is compiled, not read from the
   * core it later runs under. Discovery refuses a factory whose version differs from
   * {@link #SPEC_VERSION}.
   */
  int specVersion();

  /**
   * Builds the provider for one deployment. Validates the deployment's settings and throws
   * {@link IllegalArgumentException} naming every bad or unknown setting (preferably a
   * {@link dev.switchboard.config.ConfigException} with one problem per setting, each worded as
   * {@link #validate} words it); does no network I/O.
   */
  ChatProvider create(Deployment deployment, ProviderContext context);

  /**
   * Every setting and secret key a deployment of this type reads, as written in a configuration
   * file ({@code endpoint}, {@code api-key}). When the set is not empty, the configuration loader
   * reports any other key of a deployment itself, with the nearest known key as a suggestion,
   * and does not pass it on. The default, an empty set, leaves unknown keys to {@link #validate}
   * and {@link #create}.
   */
  default Set<String> settingKeys() {
    return Set.of();
  }

  /**
   * Checks {@code deployment}'s settings as {@link #create} would, without building anything
   * and without I/O, and returns every problem found: one entry per problem, each starting with
   * the setting's path in the file, {@code deployments.NAME.KEY: what is wrong}, and never
   * quoting a secret. The configuration loader calls it while it reads a file, so that provider
   * settings are reported in the same pass as the core keys. A check that depends on something
   * only code can supply (a token supplier registered on the factory) may be left to
   * {@link #create}. The default finds nothing; {@link #create} still validates.
   *
   * @param http the HTTP settings the deployment will be built with (whether plain http is allowed)
   */
  default List<String> validate(Deployment deployment, HttpSettings http) {
    return List.of();
  }
}
