package dev.switchboard;

import dev.switchboard.internal.CallEngine;
import dev.switchboard.spi.ChatProvider;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one switchboard owns and closes, in the order it must close them: the engine first, while
 * providers and timers still work (a call waiting for a timer, a retry delay or its deadline,
 * would otherwise wait for ever once the scheduler drops its pending tasks); then the providers
 * its factories made; then its share of the {@link SharedResources} (the last user closes the
 * HTTP dispatcher and pool, the scheduler and the shared-state store).
 */
record OwnedResources(CallEngine engine, Map<String, ChatProvider> providers, SharedResources shared) {
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

  void close() {
    engine.close();
    providers.forEach((name, p) -> closeQuietly(p, "deployment " + name));
    shared.release();
  }

  static void closeQuietly(ChatProvider provider, String what) {
    try {
      provider.close();
    } catch (Exception ex) {
      log.warn("closing the provider of {} failed", what, ex);
    }
  }
}
