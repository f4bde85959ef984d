package dev.switchboard.spi;

import dev.switchboard.Deployment;

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
   */
  int SPEC_VERSION = 2;

  /** The deployment type served, e.g. {@code openai}, {@code azure-openai}, {@code bedrock}, {@code mock}. */
  String type();

  /**
   * The SPI version this factory was written against, as a literal in the factory's own code
   * ({@code return 2;}): the value must be fixed when the factory is compiled, not read from the
   * core it later runs under. Discovery refuses a factory whose version differs from
   * {@link #SPEC_VERSION}.
   */
  int specVersion();

  /**
   * Builds the provider for one deployment. Validates the deployment's settings and throws
   * {@link IllegalArgumentException} naming every bad or unknown setting; does no network I/O.
   */
  ChatProvider create(Deployment deployment, ProviderContext context);
}
