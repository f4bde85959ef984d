package dev.switchboard.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot web application that answers {@code GET /ask?q=...} through Spring AI's
 * {@code ChatClient} on Switchboard: Azure OpenAI first, Bedrock second, both simulated on
 * loopback so no cloud account is needed. {@code POST /sim/azure/outage?requests=N} makes the
 * next N Azure requests fail with 503, to watch the failover in {@code /ask}'s answer and in
 * {@code /actuator/health/switchboard}.
 */
@SpringBootApplication
public class FailoverApplication {
  public static void main(String[] args) {
    Simulators simulators = Simulators.start();
    SpringApplication app = new SpringApplication(FailoverApplication.class);
    app.setDefaultProperties(simulators.properties());
    app.addInitializers(context -> {
      context.getBeanFactory().registerSingleton("simulators", simulators);
      // Closed after the context (and so after the Switchboard bean).
      Runtime.getRuntime().addShutdownHook(new Thread(simulators::close, "simulators-close"));
    });
    app.run(args);
  }
}
