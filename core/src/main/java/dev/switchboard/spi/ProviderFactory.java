package dev.switchboard.spi;

import dev.switchboard.Deployment;

/**
 * What a provider module registers in {@code META-INF/services/dev.switchboard.spi.ProviderFactory}.
 * It names the deployment type it serves and builds a {@link ChatProvider} for one configured
 * {@link Deployment}. Implementations need a public no-argument constructor and must be
 * thread-safe.
 */
public interface ProviderFactory {

  /** The SPI version this core implements. A factory built against another version is refused. */
  int SPEC_VERSION = 1;

  /** The deployment type served, e.g. {@code openai}, {@code azure-openai}, {@code bedrock}, {@code mock}. */
  String type();

  /** The SPI version this factory was written against; leave the default. */
  default int specVersion() {
    return SPEC_VERSION;
  }

  /**
   * Builds the provider for one deployment. Validates the deployment's settings and throws
   * {@link IllegalArgumentException} naming every bad or unknown setting; does no network I/O.
   */
  ChatProvider create(Deployment deployment, ProviderContext context);
}
