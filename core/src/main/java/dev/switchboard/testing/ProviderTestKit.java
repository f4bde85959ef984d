package dev.switchboard.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.internal.Json;

/**
 * What a provider's tests need from core to build a {@link dev.switchboard.spi.ProviderContext}
 * and to read wire JSON as core does, without reaching into core's internals: a Jackson mapper
 * configured exactly like the one core hands every provider (unknown properties ignored, read
 * limits on nesting depth, string, number and name length, readable through
 * {@code mapper.getFactory().streamReadConstraints()}).
 *
 * <p>Use {@link RealTimeScheduler} for a real scheduler and {@link StreamCollector} to assemble
 * the events a provider streams.
 */
public final class ProviderTestKit {
  /** The kit's own instance: tests may share it; core never sees it, so a test cannot reconfigure core. */
  private static final ObjectMapper SHARED = Json.newMapper();

  private ProviderTestKit() {}

  /** A mapper shared by tests (thread-safe; do not reconfigure), configured as core's. */
  public static ObjectMapper objectMapper() {
    return SHARED;
  }

  /** A new mapper configured as the one core puts in every {@code ProviderContext}. */
  public static ObjectMapper newObjectMapper() {
    return Json.newMapper();
  }
}
