package dev.switchboard.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Scheduler;
import dev.switchboard.http.HttpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * What core shares with every provider of one {@code Switchboard}: the single OkHttp client
 * (connection pool and dispatcher shared by all providers; OkHttp's own retries are off, since
 * Switchboard's policy is the only retry layer), the configured Jackson mapper, the meter
 * registry (a no-op one by default), the clock and scheduler, and the HTTP limits.
 */
public record ProviderContext(
    OkHttpClient httpClient,
    ObjectMapper objectMapper,
    MeterRegistry meterRegistry,
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
}
