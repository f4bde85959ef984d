package dev.switchboard.spi;

import dev.switchboard.TargetRef;
import java.time.Duration;
import java.util.Objects;

/**
 * One attempt at a chat request on one target. {@code request} is the provider's view of the
 * user's request (the same instance for every attempt of a call). {@code target.model()} is the provider-side model
 * id or deployment name to call. {@code timeout} is what is left of the call's deadline for this
 * attempt. Core owns that deadline and cancels the attempt when it passes; a non-streamed call
 * may give it to its HTTP call as a backstop. For streams it is informational only: core owns
 * the first-event and idle limits and cancels the stream through its {@link StreamHandle}, so a
 * provider arms no timer of its own. {@code attempt} counts from 1 across the whole call.
 */
public record ProviderCall(ProviderRequest request, TargetRef target, Duration timeout, int attempt) {
  public ProviderCall {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (attempt < 1) throw new IllegalArgumentException("attempt < 1");
  }
}
