package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Entra ID token cache, on virtual time: reuse, background refresh, never an expired token. */
class TokenCacheTest {
  private final VirtualTime time = new VirtualTime();
  private final List<Instant> fetches = new ArrayList<>();
  /** Fetches queue here until a test runs them, to see what callers get meanwhile. */
  private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
  private final Executor queued = pending::add;
  private Duration lifetime = Duration.ofHours(1);

  private AzureAccessToken next() {
    fetches.add(time.instant());
    return AzureAccessToken.of("token-" + fetches.size(), time.instant().plus(lifetime));
  }

  private static String value(CompletableFuture<Secret> f) {
    try {
      return f.get(5, TimeUnit.SECONDS).reveal();
    } catch (ExecutionException e) {
      throw (SwitchboardException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aTokenIsFetchedOnceAndReusedUntilItsRefreshWindow() {
    TokenCache cache = new TokenCache(this::next, time, Runnable::run, "az");
    assertThat(value(cache.token())).isEqualTo("token-1");
    time.advance(Duration.ofMinutes(54));
    assertThat(value(cache.token())).isEqualTo("token-1");
    assertThat(fetches).hasSize(1);
  }

  @Test
  void inTheRefreshWindowTheOldTokenServesWhileOneRefreshRuns() {
    TokenCache cache = new TokenCache(this::next, time, queued, "az");
    CompletableFuture<Secret> first = cache.token();
    assertThat(first).isNotDone();
    pending.poll().run();
    assertThat(value(first)).isEqualTo("token-1");

    time.advance(Duration.ofMinutes(56)); // 4 minutes left: inside the 5-minute refresh window
    assertThat(value(cache.token())).isEqualTo("token-1");
    assertThat(value(cache.token())).isEqualTo("token-1");
    assertThat(pending).as("one background refresh, not one per call").hasSize(1);
    pending.poll().run();
    assertThat(value(cache.token())).isEqualTo("token-2");
    assertThat(fetches).hasSize(2);
  }

  @Test
  void afterExpiryTheSupplierIsCalledAgainAndTheOldTokenIsNeverReturned() {
    TokenCache cache = new TokenCache(this::next, time, queued, "az");
    CompletableFuture<Secret> first = cache.token();
    pending.poll().run();
    assertThat(value(first)).isEqualTo("token-1");

    time.advance(Duration.ofHours(2));
    CompletableFuture<Secret> a = cache.token();
    CompletableFuture<Secret> b = cache.token();
    assertThat(a).as("an expired token is not handed out while the new one is fetched").isNotDone();
    assertThat(b).isNotDone();
    assertThat(pending).as("callers share one fetch").hasSize(1);
    pending.poll().run();
    assertThat(value(a)).isEqualTo("token-2");
    assertThat(value(b)).isEqualTo("token-2");
    assertThat(fetches).containsExactly(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T02:00:00Z"));
  }

  @Test
  void aTokenIsNotUsedInItsLastThirtySeconds() {
    TokenCache cache = new TokenCache(this::next, time, Runnable::run, "az");
    assertThat(value(cache.token())).isEqualTo("token-1");
    time.advance(Duration.ofMinutes(59).plusSeconds(31)); // 29 s left
    assertThat(value(cache.token())).isEqualTo("token-2");
  }

  @Test
  void aShortLivedTokenIsRefreshedHalfWayThroughItsLife() {
    lifetime = Duration.ofMinutes(4);
    TokenCache cache = new TokenCache(this::next, time, Runnable::run, "az");
    assertThat(value(cache.token())).isEqualTo("token-1");
    time.advance(Duration.ofMinutes(1).plusSeconds(59));
    assertThat(value(cache.token())).isEqualTo("token-1");
    time.advance(Duration.ofSeconds(1));
    // Half-way: this call starts the refresh (completed at once by the direct executor) but
    // still gets the valid old token; the next one gets the new token.
    assertThat(value(cache.token())).isEqualTo("token-1");
    assertThat(value(cache.token())).isEqualTo("token-2");
    assertThat(fetches).hasSize(2);
  }

  @Test
  void aTokenThatIsAlreadyExpiredIsAnAuthenticationError() {
    TokenCache cache = new TokenCache(() -> AzureAccessToken.of("stale", time.instant().minusSeconds(1)), time, Runnable::run, "az");
    assertThatThrownBy(() -> value(cache.token())).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
      assertThat(e.getMessage()).contains("expires at").doesNotContain("stale");
    });
  }

  @Test
  void supplierFailuresAreTyped() {
    TokenCache failing = new TokenCache(() -> {
      throw new IllegalStateException("AADSTS700016: application not found");
    }, time, Runnable::run, "az");
    assertThatThrownBy(() -> value(failing.token())).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
      assertThat(e.getMessage()).contains("token supplier failed").contains("AADSTS700016");
      assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
    });
    TokenCache unavailable = new TokenCache(() -> {
      throw SwitchboardException.of(ErrorKind.UNAVAILABLE, "identity endpoint down");
    }, time, Runnable::run, "az");
    assertThatThrownBy(() -> value(unavailable.token())).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    TokenCache nulls = new TokenCache(() -> null, time, Runnable::run, "az");
    assertThatThrownBy(() -> value(nulls.token())).isInstanceOfSatisfying(SwitchboardException.class,
        e -> assertThat(e.getMessage()).contains("returned null"));
  }

  @Test
  void aFailedBackgroundRefreshKeepsTheValidTokenAndRetriesAfterAPause() {
    int[] calls = {0};
    TokenCache cache = new TokenCache(() -> {
      calls[0]++;
      if (calls[0] == 2) throw new IllegalStateException("transient");
      return AzureAccessToken.of("token-" + calls[0], time.instant().plus(Duration.ofHours(1)));
    }, time, Runnable::run, "az");
    assertThat(value(cache.token())).isEqualTo("token-1");
    time.advance(Duration.ofMinutes(56));
    assertThat(value(cache.token())).isEqualTo("token-1"); // refresh #2 failed in the background
    assertThat(value(cache.token())).isEqualTo("token-1"); // within the pause: no new attempt
    assertThat(calls[0]).isEqualTo(2);
    time.advance(TokenCache.RETRY_AFTER_FAILURE);
    assertThat(value(cache.token())).isEqualTo("token-1");
    assertThat(value(cache.token())).isEqualTo("token-3");
  }
}
