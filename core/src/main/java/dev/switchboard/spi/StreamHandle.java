package dev.switchboard.spi;

/**
 * Cancels a streaming attempt: the provider cancels its HTTP call, releases the connection and
 * calls no listener method afterwards. Idempotent and callable from any thread.
 */
@FunctionalInterface
public interface StreamHandle {
  void cancel();
}
