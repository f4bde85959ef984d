package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.springai.SwitchboardChatModel;
import dev.switchboard.springai.SwitchboardEmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Builds one {@link Switchboard} from the {@code switchboard.*} properties (the tree of
 * Switchboard's YAML file, read by its {@code ConfigLoader}), with the application's
 * {@link MeterRegistry} and {@link ObservationRegistry} when it has them, and closes it when the
 * context closes. With {@code switchboard-spring-ai} on the classpath it also registers a
 * {@link SwitchboardChatModel} (alias {@code switchboard.spring-ai.chat-alias}, default the
 * first configured alias) and, when {@code switchboard.spring-ai.embedding-alias} is set, a
 * {@link SwitchboardEmbeddingModel}; with {@code switchboard-langchain4j}, its chat, streaming
 * and (with {@code switchboard.langchain4j.embedding-alias}) embedding models, aliases under
 * {@code switchboard.langchain4j.*} the same way. With Boot's health API present (Actuator), a health
 * contributor {@code switchboard} shows each target's state; with Actuator, an info contributor
 * lists the aliases and targets.
 *
 * <p>Nothing is registered without {@code switchboard.*} properties or with
 * {@code switchboard.enabled=false}; a {@code Switchboard} bean of the application's own wins.
 */
@AutoConfiguration
@ConditionalOnClass(Switchboard.class)
@Conditional(OnSwitchboardConfigured.class)
public class SwitchboardAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Switchboard switchboard(Environment environment, ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<SwitchboardCustomizer> customizers) {
    Switchboard.Builder builder = SwitchboardProperties.load(SwitchboardProperties.tree(environment));
    meterRegistry.ifUnique(builder::meterRegistry);
    observationRegistry.ifUnique(r -> {
      if (!r.isNoop()) builder.observationRegistry(r);
    });
    customizers.orderedStream().forEach(c -> c.customize(builder));
    try {
      return builder.build();
    } catch (dev.switchboard.config.ConfigException e) {
      // Provider-level problems (a bad endpoint, an unknown setting) found while building.
      throw SwitchboardProperties.withPrefix(e);
    }
  }

  /** The Spring AI models, when {@code switchboard-spring-ai} and Spring AI are on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"dev.switchboard.springai.SwitchboardChatModel", "org.springframework.ai.chat.model.ChatModel"})
  static class SpringAiModels {
    @Bean
    @ConditionalOnMissingBean(SwitchboardChatModel.class)
    SwitchboardChatModel switchboardChatModel(Switchboard switchboard, Environment environment,
        ObjectProvider<org.springframework.ai.model.tool.ToolCallingManager> toolCallingManager) {
      SwitchboardChatModel.Builder b = SwitchboardChatModel.builder().switchboard(switchboard)
          .alias(chatAlias(environment, "spring-ai"));
      toolCallingManager.ifAvailable(b::toolCallingManager);
      return b.build();
    }

    @Bean
    @ConditionalOnMissingBean(SwitchboardEmbeddingModel.class)
    @ConditionalOnProperty("switchboard.spring-ai.embedding-alias")
    SwitchboardEmbeddingModel switchboardEmbeddingModel(Switchboard switchboard, Environment environment) {
      return SwitchboardEmbeddingModel.of(switchboard, environment.getRequiredProperty("switchboard.spring-ai.embedding-alias"));
    }
  }

  /** The LangChain4j models, when {@code switchboard-langchain4j} and LangChain4j are on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"dev.switchboard.langchain4j.SwitchboardChatModel", "dev.langchain4j.model.chat.ChatModel"})
  static class LangChain4jModels {
    @Bean
    @ConditionalOnMissingBean(dev.switchboard.langchain4j.SwitchboardChatModel.class)
    dev.switchboard.langchain4j.SwitchboardChatModel switchboardLangChain4jChatModel(Switchboard switchboard, Environment environment) {
      return dev.switchboard.langchain4j.SwitchboardChatModel.of(switchboard, chatAlias(environment, "langchain4j"));
    }

    @Bean
    @ConditionalOnMissingBean(dev.switchboard.langchain4j.SwitchboardStreamingChatModel.class)
    dev.switchboard.langchain4j.SwitchboardStreamingChatModel switchboardLangChain4jStreamingChatModel(Switchboard switchboard,
        Environment environment) {
      return dev.switchboard.langchain4j.SwitchboardStreamingChatModel.of(switchboard, chatAlias(environment, "langchain4j"));
    }

    @Bean
    @ConditionalOnMissingBean(dev.switchboard.langchain4j.SwitchboardEmbeddingModel.class)
    @ConditionalOnProperty("switchboard.langchain4j.embedding-alias")
    dev.switchboard.langchain4j.SwitchboardEmbeddingModel switchboardLangChain4jEmbeddingModel(Switchboard switchboard,
        Environment environment) {
      return dev.switchboard.langchain4j.SwitchboardEmbeddingModel.of(switchboard,
          environment.getRequiredProperty("switchboard.langchain4j.embedding-alias"));
    }
  }

  /** {@code switchboard.<framework>.chat-alias}, or the first configured alias. */
  static String chatAlias(Environment environment, String framework) {
    return environment.getProperty("switchboard." + framework + ".chat-alias",
        SwitchboardProperties.firstAlias(SwitchboardProperties.tree(environment)).orElse("chat"));
  }

  /** Aliases and targets in {@code /actuator/info}, when Actuator is on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
  @ConditionalOnBooleanProperty(name = "management.info.switchboard.enabled", matchIfMissing = true)
  static class InfoContribution {
    @Bean
    @ConditionalOnMissingBean(name = "switchboardInfoContributor")
    SwitchboardInfoContributor switchboardInfoContributor(Switchboard switchboard, Environment environment) {
      return new SwitchboardInfoContributor(switchboard, SwitchboardProperties.tree(environment));
    }
  }

  /** Target state in {@code /actuator/health}, when Boot's health API is on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class HealthContribution {
    /** Nested again: the enabled-indicator condition's class exists only with the health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("switchboard")
    static class Indicator {
      @Bean
      @ConditionalOnMissingBean(name = "switchboardHealthIndicator")
      SwitchboardHealthIndicator switchboardHealthIndicator(Switchboard switchboard) {
        return new SwitchboardHealthIndicator(switchboard);
      }
    }
  }
}
