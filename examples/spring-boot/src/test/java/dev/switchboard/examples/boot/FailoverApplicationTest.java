package dev.switchboard.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application, started whole on a random port against the simulated Azure OpenAI and
 * Bedrock endpoints: answers over HTTP through ChatClient, fails over when Azure answers 503,
 * and /actuator/health/switchboard shows Azure's circuit open. Counts are what reached the
 * simulators.
 */
@SpringBootTest(classes = FailoverApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"logging.level.root=warn", "logging.level.dev.switchboard=error"})
@Import(FailoverApplicationTest.SimulatorBean.class)
class FailoverApplicationTest {
  private static final Simulators SIMULATORS = Simulators.start();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Autowired
  Environment environment;

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    SIMULATORS.properties().forEach((k, v) -> registry.add(k, () -> v));
  }

  @TestConfiguration
  static class SimulatorBean {
    @Bean(destroyMethod = "close")
    Simulators simulators() {
      return SIMULATORS;
    }
  }

  private JsonNode send(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void answersThroughChatClientFailsOverAndTheHealthEndpointShowsTheOpenCircuit() throws Exception {
    JsonNode first = send("GET", "/ask?q=hello");
    assertThat(first.get("answer").asText()).isNotEmpty();
    assertThat(first.get("servedBy").asText()).startsWith("azure-east(");
    assertThat(SIMULATORS.azure().stats().requests()).isEqualTo(1);
    assertThat(SIMULATORS.bedrock().stats().requests()).isZero();

    send("POST", "/sim/azure/outage?requests=10");
    JsonNode second = send("GET", "/ask?q=hello");
    assertThat(second.get("servedBy").asText()).startsWith("bedrock-west(");
    // One retry on Azure (max-retries 1), then Bedrock.
    assertThat(second.get("attempts")).hasSize(3);
    assertThat(SIMULATORS.azure().stats().requests()).isEqualTo(3);
    assertThat(SIMULATORS.bedrock().stats().requests()).isEqualTo(1);

    send("GET", "/ask?q=hello");   // Azure's third consecutive failure opens its circuit
    JsonNode health = send("GET", "/actuator/health/switchboard");
    assertThat(health.get("status").asText()).isEqualTo("UP");
    JsonNode azure = health.get("details").get("targets").get("azure-east/gpt4o-prod");
    assertThat(azure.get("circuit").asText()).isEqualTo("OPEN");
    assertThat(azure.get("lastErrorKind").asText()).isEqualTo("UNAVAILABLE");
    assertThat(health.get("details").get("targets").get("bedrock-west/openai.gpt-oss-120b-1:0").get("available").asBoolean())
        .isTrue();

    int azureBefore = SIMULATORS.azure().stats().requests();
    assertThat(send("GET", "/ask?q=hello").get("servedBy").asText()).startsWith("bedrock-west(");
    assertThat(SIMULATORS.azure().stats().requests()).isEqualTo(azureBefore);
  }
}
