package dev.switchboard;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a provider's rate-limit headers said ({@code x-ratelimit-*}): limits, what remains, and
 * when each resets. Any part may be absent; Azure, for example, sends only what remains.
 */
public record RateLimitInfo(
    OptionalLong limitRequests,
    OptionalLong remainingRequests,
    Optional<Duration> resetRequests,
    OptionalLong limitTokens,
    OptionalLong remainingTokens,
    Optional<Duration> resetTokens) {

  public static final RateLimitInfo NONE = new RateLimitInfo(
      OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
      OptionalLong.empty(), OptionalLong.empty(), Optional.empty());

  public RateLimitInfo {
    Objects.requireNonNull(limitRequests, "limitRequests == null");
    Objects.requireNonNull(remainingRequests, "remainingRequests == null");
    Objects.requireNonNull(resetRequests, "resetRequests == null");
    Objects.requireNonNull(limitTokens, "limitTokens == null");
    Objects.requireNonNull(remainingTokens, "remainingTokens == null");
    Objects.requireNonNull(resetTokens, "resetTokens == null");
  }

  /** Whether any header was present. */
  public boolean isKnown() {
    return limitRequests.isPresent() || remainingRequests.isPresent() || resetRequests.isPresent()
        || limitTokens.isPresent() || remainingTokens.isPresent() || resetTokens.isPresent();
  }
}
