package dev.switchboard.spi;

import dev.switchboard.ChatRequest;
import dev.switchboard.TargetRef;
import java.time.Duration;
import java.util.Objects;

/**
 * One attempt at a chat request on one target. {@code target.model()} is the provider-side model
 * id or deployment name to call. {@code timeout} is what is left of the call's deadline for this
 * attempt: the provider applies it to its HTTP call (for streams: to reaching the first event).
 * {@code attempt} counts from 1 across the whole call.
 */
public record ProviderCall(ChatRequest request, TargetRef target, Duration timeout, int attempt) {
  public ProviderCall {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (attempt < 1) throw new IllegalArgumentException("attempt < 1");
  }
}
