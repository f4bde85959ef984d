package dev.switchboard.spi;

import dev.switchboard.EmbeddingRequest;
import dev.switchboard.TargetRef;
import java.time.Duration;
import java.util.Objects;

/** One attempt at an embedding request on one target; see {@link ProviderCall}. */
public record ProviderEmbeddingCall(EmbeddingRequest request, TargetRef target, Duration timeout, int attempt) {
  public ProviderEmbeddingCall {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (attempt < 1) throw new IllegalArgumentException("attempt < 1");
  }
}
