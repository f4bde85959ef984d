/**
 * Switchboard core: the user API, the provider SPI, policies, configuration, metrics and the mock
 * provider.
 *
 * <p>{@code dev.switchboard.internal} (the engine) is exported to no one. {@code
 * dev.switchboard.http} (the transport helpers providers share) is exported only to this project's
 * provider modules: it is not API for applications. On the classpath neither restriction applies;
 * {@code META-INF/services} still registers the mock provider there.
 *
 * <p>{@code requires transitive} marks the libraries whose types appear in exported signatures:
 * OkHttp ({@code Switchboard.Builder.httpClient}, {@code ProviderContext.httpClient}), Jackson
 * ({@code ProviderContext.objectMapper}, JSON-valued request fields). Micrometer is optional
 * ({@code requires static}, not transitive, so that a module reading core compiles without it):
 * only {@code Builder.meterRegistry} / {@code observationRegistry}, {@code
 * ProviderContext.meterRegistry} and {@code dev.switchboard.metrics} touch it, and a module that
 * calls them requires Micrometer itself (hence the suppressed "exports" warning).
 *
 * <p>Resilience4j and Micrometer have no module descriptor yet: they are automatic modules, named
 * by their {@code Automatic-Module-Name}. The qualified export names provider modules that are
 * built after core, hence the suppressed "module not found" warning.
 */
@SuppressWarnings({"module", "exports", "requires-automatic", "requires-transitive-automatic"})
module dev.switchboard.core {
  requires transitive okhttp3;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.yaml.snakeyaml;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.bulkhead;
  requires io.github.resilience4j.core;
  requires org.slf4j;
  requires static micrometer.core;
  requires static micrometer.observation;

  exports dev.switchboard;
  exports dev.switchboard.config;
  exports dev.switchboard.metrics;
  exports dev.switchboard.resilience;
  exports dev.switchboard.routing;
  exports dev.switchboard.spi;
  exports dev.switchboard.state;
  exports dev.switchboard.testing;
  exports dev.switchboard.http to
      dev.switchboard.openai,
      dev.switchboard.azure,
      dev.switchboard.aws;

  uses dev.switchboard.spi.ProviderFactory;
  uses dev.switchboard.state.SharedStateFactory;

  provides dev.switchboard.spi.ProviderFactory with dev.switchboard.testing.MockProviderFactory;
}
