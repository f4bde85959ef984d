package dev.switchboard.internal;

import dev.switchboard.spi.ChatProvider;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every provider's {@link ChatProvider#warmUp()} in one background task when a
 * {@code Switchboard} is built, so that the class loading a first call would pay (about 290 AWS
 * signing classes for Bedrock, 300–600 ms) is paid before the first failover needs that target.
 * It never blocks the build; a call that arrives meanwhile at worst waits on the same class
 * initialisation it would have done itself. The system property {@code switchboard.warmUp=false}
 * turns it off (the benchmarks use it to measure the cold first call).
 */
public final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  private WarmUp() {}

  /** Submits the warm-up of {@code providers} to {@code executor}; does nothing if turned off or rejected. */
  public static void start(List<ChatProvider> providers, Executor executor) {
    if (providers.isEmpty() || "false".equalsIgnoreCase(System.getProperty("switchboard.warmUp"))) return;
    List<ChatProvider> copy = List.copyOf(providers);
    try {
      executor.execute(() -> run(copy));
    } catch (RejectedExecutionException e) {
      LOG.debug("provider warm-up not started: executor rejected it");
    }
  }

  /** Warms each provider in turn; one that throws (against the SPI contract) does not stop the others. */
  static void run(List<ChatProvider> providers) {
    for (ChatProvider p : providers) {
      try {
        p.warmUp();
      } catch (RuntimeException | LinkageError e) {
        LOG.debug("warm-up of a {} provider failed: {}", p.type(), e.getClass().getName());
      }
    }
  }
}
