package dev.switchboard;

import dev.switchboard.internal.SystemScheduler;
import dev.switchboard.internal.TargetHealthTable;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.state.SharedState;
import java.time.Clock;
import java.util.List;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a switchboard shares with those made from it by {@link Switchboard#newBuilder()}, as
 * OkHttp's {@code newBuilder()} shares a connection pool and dispatcher: the HTTP client, the
 * time, the targets' health, the shared-state store and the ready-made providers of the first
 * one. Each switchboard that uses them holds a reference; the last one to close closes them.
 *
 * @param ownScheduler the scheduler the first switchboard created (null when the caller gave one)
 * @param ownSharedState a shared-state store made from configuration (null otherwise)
 * @param readyMade the providers given to the first switchboard's builder, closed with the rest
 */
record SharedResources(OkHttpClient httpClient, HttpSettings http, Clock clock, Scheduler scheduler, SystemScheduler ownScheduler,
    SharedState sharedState, SharedState ownSharedState, TargetHealthTable health, List<ChatProvider> readyMade, Users users) {
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

  /** How many open switchboards use the resources; none left means closed for good. */
  static final class Users {
    private int count = 1;

    synchronized boolean acquire() {
      if (count == 0) return false;
      count++;
      return true;
    }

    /** True when the caller was the last user. */
    synchronized boolean release() {
      return count > 0 && --count == 0;
    }
  }

  /** Another switchboard uses these; false when the last one using them has closed. */
  boolean acquire() {
    return users.acquire();
  }

  /**
   * One switchboard no longer uses these; the last one closes them: the ready-made providers,
   * then the HTTP dispatcher and pool, then a scheduler and a shared-state store the first
   * switchboard created. A client given to the builder is not touched: {@code HttpClients}
   * gave the shared one a pool and dispatcher of its own.
   */
  void release() {
    if (!users.release()) return;
    readyMade.forEach(p -> OwnedResources.closeQuietly(p, "a ready-made provider"));
    httpClient.dispatcher().cancelAll();
    httpClient.dispatcher().executorService().shutdown();
    httpClient.connectionPool().evictAll();
    if (ownScheduler != null) ownScheduler.close();
    if (ownSharedState != null) {
      try {
        ownSharedState.close();
      } catch (Exception ex) {
        log.warn("closing the shared-state store failed", ex);
      }
    }
  }
}
