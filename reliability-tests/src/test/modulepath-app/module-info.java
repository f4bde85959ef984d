/**
 * A tiny application for {@code ModulePathTest}: it requires core only and finds the three
 * providers (and the Redis shared-state factory) through the module system's service binding ({@code uses} here and in core,
 * {@code provides} in each provider). Compiled and run by the test; Maven never builds it.
 */
module dev.switchboard.modulepath {
  requires dev.switchboard.core;
  requires jdk.httpserver;

  uses dev.switchboard.spi.ProviderFactory;
  uses dev.switchboard.state.SharedStateFactory;
}
