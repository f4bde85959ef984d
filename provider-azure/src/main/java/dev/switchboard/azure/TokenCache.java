package dev.switchboard.azure;

import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.HttpErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches one deployment's Entra ID token. A token is used while more than {@link #EXPIRY_MARGIN}
 * of its life is left, so that it cannot expire on the way to Azure; it is refreshed in the
 * background from {@link #REFRESH_BEFORE} before expiry (or half-way through a shorter life)
 * while callers keep using it, and once unusable every caller waits for the one fetch in flight.
 * Fetches run on {@code executor}, never on the caller's thread unless the executor is direct.
 */
final class TokenCache {
  private static final Logger log = LoggerFactory.getLogger(TokenCache.class);

  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
  /** After a failed background refresh, the old token is used this long before the next try. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

  private final AzureTokenSupplier supplier;
  private final Clock clock;
  private final Executor executor;
  private final String deployment;

  private AzureAccessToken current;
  private Instant refreshAt = Instant.MIN;
  private Instant retryNotBefore = Instant.MIN;
  private CompletableFuture<AzureAccessToken> inFlight;

  TokenCache(AzureTokenSupplier supplier, Clock clock, Executor executor, String deployment) {
    this.supplier = Objects.requireNonNull(supplier, "supplier == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.executor = Objects.requireNonNull(executor, "executor == null");
    this.deployment = Objects.requireNonNull(deployment, "deployment == null");
  }

  /** A usable token: at once when cached, else when the fetch in flight completes. */
  CompletableFuture<Secret> token() {
    Instant now = clock.instant();
    CompletableFuture<AzureAccessToken> wait;
    boolean start = false;
    Secret cached = null;
    synchronized (this) {
      if (current != null && usable(current, now)) {
        cached = current.token();
        if (!now.isBefore(refreshAt) && inFlight == null && !now.isBefore(retryNotBefore)) {
          inFlight = new CompletableFuture<>();
          start = true;
        }
        wait = inFlight;
      } else {
        if (inFlight == null) {
          inFlight = new CompletableFuture<>();
          start = true;
        }
        wait = inFlight;
      }
    }
    if (start) fetch(wait);
    if (cached != null) return CompletableFuture.completedFuture(cached);
    return wait.thenApply(t -> {
      Instant at = clock.instant();
      if (!usable(t, at)) {
        throw SwitchboardException.of(ErrorKind.AUTHENTICATION, "the Entra ID token supplier returned a token that"
            + " expires at " + t.expiresAt() + ", less than " + EXPIRY_MARGIN.toSeconds() + " s after " + at);
      }
      return t.token();
    });
  }

  private void fetch(CompletableFuture<AzureAccessToken> target) {
    try {
      executor.execute(() -> {
        AzureAccessToken token;
        try {
          token = supplier.fetch();
          if (token == null) throw SwitchboardException.of(ErrorKind.AUTHENTICATION, "the Entra ID token supplier returned null");
        } catch (Throwable e) {
          failed(target, e);
          return;
        }
        Instant now = clock.instant();
        synchronized (this) {
          current = token;
          Duration life = Duration.between(now, token.expiresAt());
          Duration early = life.dividedBy(2).compareTo(REFRESH_BEFORE) < 0 ? life.dividedBy(2) : REFRESH_BEFORE;
          refreshAt = token.expiresAt().minus(early.isNegative() ? Duration.ZERO : early);
          inFlight = null;
        }
        log.debug("fetched an Entra ID token for deployment {}, expiring at {}", deployment, token.expiresAt());
        target.complete(token);
      });
    } catch (RejectedExecutionException e) {
      failed(target, SwitchboardException.builder(ErrorKind.CANCELLED, "the HTTP client is shut down").cause(e).build());
    }
  }

  private void failed(CompletableFuture<AzureAccessToken> target, Throwable e) {
    synchronized (this) {
      inFlight = null;
      retryNotBefore = clock.instant().plus(RETRY_AFTER_FAILURE);
    }
    SwitchboardException error = e instanceof SwitchboardException se ? se
        : SwitchboardException.builder(ErrorKind.AUTHENTICATION, "the Entra ID token supplier failed: "
            + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + HttpErrors.snippet(e.getMessage(), List.of())))
            .cause(e).build();
    // The message is logged, never a token: the supplier failed to produce one.
    log.warn("fetching an Entra ID token for deployment {} failed: {}", deployment, error.detail());
    target.completeExceptionally(error);
  }

  private static boolean usable(AzureAccessToken t, Instant now) {
    return now.isBefore(t.expiresAt().minus(EXPIRY_MARGIN));
  }
}
