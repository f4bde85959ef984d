package dev.switchboard.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code switchboard.*} holds configuration and {@code switchboard.enabled} is not false. */
final class OnSwitchboardConfigured extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    if ("false".equalsIgnoreCase(context.getEnvironment().getProperty("switchboard.enabled", "true").trim())) {
      return ConditionOutcome.noMatch("switchboard.enabled is false");
    }
    return SwitchboardProperties.configured(context.getEnvironment())
        ? ConditionOutcome.match("switchboard.* properties are set")
        : ConditionOutcome.noMatch("no switchboard.* properties");
  }
}
