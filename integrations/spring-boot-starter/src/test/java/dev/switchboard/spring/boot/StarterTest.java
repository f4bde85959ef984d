package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetStatus;
import dev.switchboard.config.ConfigException;
import dev.switchboard.metrics.MetricNames;
import dev.switchboard.resilience.CircuitState;
import dev.switchboard.springai.SwitchboardChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;

/**
 * The starter in real Spring contexts against two OpenAI-compatible servers on 127.0.0.1: the
 * first answers 503, the second answers. Counts are what reached each server.
 */
class StarterTest {
  private static final String ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello from secondary\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}";

  private final MockWebServer primary = new MockWebServer();
  private final MockWebServer secondary = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    primary.setDispatcher(always(new MockResponse.Builder().code(503)
        .body("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}").build()));
    secondary.setDispatcher(always(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(ANSWER).build()));
    primary.start(InetAddress.getByName("127.0.0.1"), 0);
    secondary.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    primary.close();
    secondary.close();
  }

  private static Dispatcher always(MockResponse response) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return response;
      }
    };
  }

  /** The application.yaml of the test app, as Spring reads it (lists, placeholders and all). */
  private String yaml() {
    return """
        switchboard:
          deployments:
            primary:
              type: openai
              base-url: http://127.0.0.1:%d/v1
              api-key: ${PRIMARY_KEY:primary-key}
            secondary:
              type: openai
              base-url: http://127.0.0.1:%d/v1
              api-key: secondary-key
          models:
            chat:
              targets:
                - {deployment: primary, model: gpt-4o}
                - {deployment: secondary, model: gpt-4o}
          resilience:
            retry: {max-retries: 0}
            circuit-breaker: {consecutive-failures: 2, wait-in-open: 10m}
        """.formatted(primary.getPort(), secondary.getPort());
  }

  private ApplicationContextRunner runner(String yaml) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class))
        .withInitializer(context -> {
          try {
            for (var source : new YamlPropertySourceLoader().load("application.yaml", new ByteArrayResource(yaml.getBytes()))) {
              context.getEnvironment().getPropertySources().addFirst(source);
            }
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void chatClientOnTheStarterBeanFailsOverAndTheHealthEndpointShowsTheCircuitOpening() throws Exception {
    runner(yaml())
        .withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class,
            // By name: its endpoint condition lives in spring-boot-actuator-autoconfigure, not needed here.
            Class.forName("org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration")))
        .withPropertyValues("management.endpoint.health.show-details=always")
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      assertThat(context).hasSingleBean(Switchboard.class).hasSingleBean(SwitchboardChatModel.class)
          .hasSingleBean(SwitchboardHealthIndicator.class);
      ChatClient client = ChatClient.create(context.getBean(SwitchboardChatModel.class));
      HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
      assertThat(health(endpoint).getStatus()).isEqualTo(Status.UP);

      assertThat(client.prompt().user("hi").call().content()).isEqualTo("hello from secondary");
      assertThat(primary.getRequestCount()).isEqualTo(1);
      assertThat(secondary.getRequestCount()).isEqualTo(1);
      assertThat(primary.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer primary-key");
      assertThat(target(health(endpoint), "primary/gpt-4o")).containsEntry("circuit", "CLOSED")
          .containsEntry("lastErrorKind", "UNAVAILABLE");

      client.prompt().user("again").call().content();
      IndicatedHealthDescriptor after = health(endpoint);
      assertThat(target(after, "primary/gpt-4o")).containsEntry("circuit", "OPEN").containsEntry("available", false);
      assertThat(target(after, "secondary/gpt-4o")).containsEntry("circuit", "CLOSED").containsEntry("available", true);
      assertThat(after.getStatus()).isEqualTo(Status.UP);
      assertThat(after.getDetails()).containsEntry("available", "1 of 2");

      // The open circuit keeps the third call away from primary.
      client.prompt().user("third").call().content();
      assertThat(primary.getRequestCount()).isEqualTo(2);
      assertThat(secondary.getRequestCount()).isEqualTo(3);
      assertThat(context.getBean(MeterRegistry.class).find(MetricNames.FAILOVERS).counter()).isNotNull();

      Info.Builder info = new Info.Builder();
      context.getBean(SwitchboardInfoContributor.class).contribute(info);
      assertThat(info.build().get("switchboard")).isEqualTo(Map.of(
          "models", Map.of("chat", List.of("primary/gpt-4o", "secondary/gpt-4o")),
          "targets", Map.of("primary/gpt-4o", "openai", "secondary/gpt-4o", "openai")));
    });
  }

  /** What /actuator/health/switchboard answers. */
  private static IndicatedHealthDescriptor health(HealthEndpoint endpoint) {
    return (IndicatedHealthDescriptor) endpoint.healthForPath("switchboard");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> target(IndicatedHealthDescriptor health, String name) {
    return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("targets")).get(name);
  }

  @Test
  void langChain4jModelBeansFailOverToo() {
    runner(yaml()).withPropertyValues("switchboard.langchain4j.chat-alias=chat").run(context -> {
      dev.langchain4j.model.chat.ChatModel model = context.getBean(dev.langchain4j.model.chat.ChatModel.class);
      assertThat(model.chat("hi")).isEqualTo("hello from secondary");
      assertThat(context).hasSingleBean(dev.langchain4j.model.chat.StreamingChatModel.class)
          .doesNotHaveBean(dev.switchboard.langchain4j.SwitchboardEmbeddingModel.class);
      assertThat(primary.getRequestCount()).isEqualTo(1);
      assertThat(secondary.getRequestCount()).isEqualTo(1);
    });
  }

  @Test
  void healthIsDownWhenNoTargetIsAvailableAndTheBeanClosesWithTheContext() {
    String yaml = yaml().replace("- {deployment: secondary, model: gpt-4o}", "");
    Switchboard[] kept = new Switchboard[1];
    runner(yaml).run(context -> {
      Switchboard sb = context.getBean(Switchboard.class);
      kept[0] = sb;
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hi"))).hasMessageContaining("UNAVAILABLE");
      }
      TargetStatus status = sb.targets().get(0);
      assertThat(status.circuit()).isEqualTo(CircuitState.OPEN);
      assertThat(status.lastErrorKind()).contains(ErrorKind.UNAVAILABLE);
      assertThat(context.getBean(SwitchboardHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
    });
    assertThatThrownBy(() -> kept[0].chat(ChatRequest.of("chat", "hi")))
        .isInstanceOf(IllegalStateException.class).hasMessage("Switchboard is closed");
  }

  @Test
  void badConfigurationFailsStartUpWithSwitchboardsMessage() {
    String yaml = yaml().replace("base-url: http://127.0.0.1:" + secondary.getPort() + "/v1", "base-url: ftp://nowhere")
        .replace("deployment: primary,", "deployment: primry,")
        .replace("  resilience:", "  modles: oops\n  resilience:");
    runner(yaml).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      ConfigException e = findCause(failure);
      assertThat(e.getMessage()).startsWith("invalid Switchboard configuration in Spring properties (switchboard.*)");
      assertThat(e.problems()).anySatisfy(p -> assertThat(p).isEqualTo("switchboard.modles: unknown key; did you mean 'models'?"));
      FailureAnalysis analysis = new SwitchboardConfigFailureAnalyzer().analyze(failure);
      assertThat(analysis.getDescription()).isEqualTo(e.getMessage());
      assertThat(analysis.getAction()).contains("switchboard.*");
    });
    // Every problem in one pass, provider settings included, each named by its property path once.
    runner(yaml).run(context -> {
      ConfigException e = findCause(context.getStartupFailure());
      assertThat(e.problems()).hasSize(3);
      assertThat(e.problems()).contains("switchboard.modles: unknown key; did you mean 'models'?",
          "switchboard.models.chat.targets[0].deployment: unknown deployment 'primry'; did you mean 'primary'?");
      assertThat(e.problems()).anySatisfy(p -> assertThat(p)
          .startsWith("switchboard.deployments.secondary.base-url: not an http(s) URL: ").contains("ftp://nowhere"));
      assertThat(e.getMessage()).doesNotContain("secondary-key");
    });
  }

  private static ConfigException findCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException e) return e;
    }
    throw new AssertionError("no ConfigException in " + t, t);
  }

  @Test
  void nothingIsRegisteredWithoutPropertiesOrWhenDisabled() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Switchboard.class));
    runner(yaml()).withPropertyValues("switchboard.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Switchboard.class));
    assertThat(primary.getRequestCount()).isZero();
  }

  @Test
  void withoutSpringAiLangChain4jOrTheHealthApiOnlyTheSwitchboardIsRegistered() {
    runner(yaml()).withClassLoader(new FilteredClassLoader("org.springframework.ai.", "dev.langchain4j.",
            "org.springframework.boot.health.", "org.springframework.boot.actuate."))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Switchboard.class)
            .doesNotHaveBean("switchboardChatModel").doesNotHaveBean("switchboardLangChain4jChatModel")
            .doesNotHaveBean("switchboardHealthIndicator").doesNotHaveBean("switchboardInfoContributor"));
  }

  @Test
  void registrationFilesNameTheAutoConfigurationAndTheFailureAnalyzer() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
        .contains(SwitchboardAutoConfiguration.class.getName());
    assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
        // Boot's own analyzers need a bean factory to be made; only ours is looked for.
        .load(FailureAnalyzer.class, (type, name, failure) -> { }))
        .anyMatch(a -> a instanceof SwitchboardConfigFailureAnalyzer);
  }
}
