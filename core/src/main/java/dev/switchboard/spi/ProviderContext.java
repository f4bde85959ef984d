package dev.switchboard.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Scheduler;
import dev.switchboard.HttpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * What core shares with every provider of one {@code Switchboard}: the single OkHttp client
 * (connection pool and dispatcher shared by all providers; OkHttp's own retries are off, since
 * Switchboard's policy is the only retry layer), the configured Jackson mapper, the user's meter
 * registry, the clock and scheduler, and the HTTP limits.
 *
 * <p>{@code meterRegistry} is present only when the application passed one to the builder.
 * Micrometer is an optional dependency of core: a provider that records its own metrics must
 * touch Micrometer types only when it is present, so that it still runs without Micrometer on
 * the classpath.
 */
public record ProviderContext(
    OkHttpClient httpClient,
    ObjectMapper objectMapper,
    Optional<MeterRegistry> meterRegistry,
    Clock clock,
    Scheduler scheduler,
    HttpSettings http) {

  public ProviderContext {
    Objects.requireNonNull(httpClient, "httpClient == null");
    Objects.requireNonNull(objectMapper, "objectMapper == null");
    Objects.requireNonNull(meterRegistry, "meterRegistry == null");
    Objects.requireNonNull(clock, "clock == null");
    Objects.requireNonNull(scheduler, "scheduler == null");
    Objects.requireNonNull(http, "http == null");
  }

  /** A context with a meter registry (never null). */
  public ProviderContext(OkHttpClient httpClient, ObjectMapper objectMapper, MeterRegistry meterRegistry, Clock clock,
      Scheduler scheduler, HttpSettings http) {
    this(httpClient, objectMapper, Optional.of(Objects.requireNonNull(meterRegistry, "meterRegistry == null")), clock,
        scheduler, http);
  }

  /** A context without a meter registry. */
  public ProviderContext(OkHttpClient httpClient, ObjectMapper objectMapper, Clock clock, Scheduler scheduler,
      HttpSettings http) {
    this(httpClient, objectMapper, Optional.empty(), clock, scheduler, http);
  }
}
