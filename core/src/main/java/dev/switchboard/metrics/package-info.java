/**
 * Metrics and tracing built on {@link dev.switchboard.CallListener}: {@link
 * dev.switchboard.metrics.MicrometerMetrics} for a Micrometer {@code MeterRegistry} and {@link
 * dev.switchboard.metrics.ObservationTracing} for an {@code ObservationRegistry}. Both are
 * optional and installed through the {@code Switchboard} builder; every name is in {@link
 * dev.switchboard.metrics.MetricNames}.
 */
package dev.switchboard.metrics;
