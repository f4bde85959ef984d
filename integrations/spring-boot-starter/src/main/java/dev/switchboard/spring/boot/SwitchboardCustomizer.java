package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;

/**
 * Changes the builder the starter made from {@code switchboard.*} before the switchboard is
 * built: a {@code CallListener.Factory}, an {@code OkHttpClient} to base the shared one on, a
 * provider factory, shared state. Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface SwitchboardCustomizer {
  void customize(Switchboard.Builder builder);
}
