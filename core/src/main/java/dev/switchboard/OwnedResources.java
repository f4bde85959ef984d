package dev.switchboard;

import dev.switchboard.internal.CallEngine;
import dev.switchboard.internal.SystemScheduler;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.state.SharedState;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one switchboard owns and closes, in the order it must close them: the engine first, while
 * providers and timers still work (a call waiting for a timer, a retry delay or its deadline,
 * would otherwise wait for ever once the scheduler drops its pending tasks); then every provider;
 * then the HTTP dispatcher and pool; then a scheduler and a shared-state store it created.
 *
 * @param ownScheduler the scheduler Switchboard created (null when the caller gave one)
 * @param ownSharedState a shared-state store made from configuration (null otherwise)
 */
record OwnedResources(CallEngine engine, Map<String, ChatProvider> providers, OkHttpClient httpClient,
    SystemScheduler ownScheduler, SharedState ownSharedState) {
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

  void close() {
    engine.close();
    for (Map.Entry<String, ChatProvider> e : providers.entrySet()) {
      try {
        e.getValue().close();
      } catch (Exception ex) {
        log.warn("closing provider of deployment {} failed", e.getKey(), ex);
      }
    }
    // The dispatcher and pool are Switchboard's even when the caller gave a client to base the
    // shared one on: HttpClients.configure replaces both, so the caller's own stay untouched.
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
