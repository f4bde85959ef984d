package dev.switchboard.state;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a {@link SharedState} from configuration: the {@code shared-state: {<type>: {...}}} section
 * of a YAML file, or {@code Switchboard.Builder.sharedState(factory, settings)}. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.switchboard.state.SharedStateFactory});
 * {@code switchboard-redis} provides type {@code redis}.
 */
public interface SharedStateFactory {

  /** The store's name in configuration, e.g. {@code redis}. */
  String type();

  /** Every setting key the store accepts (YAML names, e.g. {@code command-timeout}). */
  Set<String> settings();

  /** The settings that are durations: handed to {@link #create} in ISO-8601 ({@code PT0.25S}). */
  default Set<String> durationSettings() {
    return Set.of();
  }

  /** What is wrong with {@code settings}, one problem per entry naming its key (never a value); empty when none. */
  List<String> validate(Map<String, String> settings);

  /** The store, from settings {@link #validate} accepted. It must not block on the network. */
  SharedState create(Map<String, String> settings);
}
