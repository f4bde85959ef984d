package dev.switchboard.spring.boot;

import dev.switchboard.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up that failed on Switchboard's configuration into Boot's "APPLICATION FAILED TO
 * START" report with Switchboard's own message (every problem with its property path) instead of
 * a bean-creation stack trace.
 */
public final class SwitchboardConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Fix the switchboard.* properties named above. They follow Switchboard's YAML configuration format "
            + "(see dev.switchboard.config.ConfigLoader); set switchboard.enabled=false to start without Switchboard.",
        cause);
  }
}
