package dev.switchboard.examples.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedAzureOpenAiTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
  private static final String STREAM = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true}}";

  private final SimulatedAzureOpenAi azure = SimulatedAzureOpenAi.start("test-key", "gpt4o-prod");
  private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  @AfterEach
  void close() {
    azure.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Response post(String pathAndQuery, String key, String body) throws IOException {
    Request.Builder b = new Request.Builder().url(azure.url() + pathAndQuery).post(RequestBody.create(body, JSON));
    if (key != null) b.header("api-key", key);
    return client.newCall(b.build()).execute();
  }

  private static final String PATH = "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21";

  @Test
  void answersLikeTheRecordedAzureResponses() throws IOException {
    try (Response r = post(PATH, "test-key", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("apim-request-id")).isNotBlank();
      assertThat(r.header("x-ms-deployment-name")).isEqualTo("gpt4o-prod");
      JsonNode body = Wire.JSON.readTree(r.body().string());
      assertThat(body.path("object").asText()).isEqualTo("chat.completion");
      assertThat(body.path("prompt_filter_results").get(0).path("content_filter_results").path("jailbreak").path("filtered").asBoolean(true)).isFalse();
      JsonNode choice = body.path("choices").get(0);
      assertThat(choice.path("content_filter_results").path("hate").path("severity").asText()).isEqualTo("safe");
      assertThat(choice.path("message").path("content").asText()).contains("gpt4o-prod");
      assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
      JsonNode usage = body.path("usage");
      assertThat(usage.path("total_tokens").asInt()).isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
      assertThat(usage.path("completion_tokens").asInt()).isPositive();
    }
    assertThat(azure.stats()).isEqualTo(new SimulatedEndpoint.Stats(1, 1, 0, 0));
  }

  @Test
  void checksTheApiKey() throws IOException {
    try (Response r = post(PATH, "wrong-key", CHAT)) {
      assertThat(r.code()).isEqualTo(401);
      assertThat(r.body().string()).contains("invalid subscription key");
    }
    try (Response r = post(PATH, null, CHAT)) {
      assertThat(r.code()).isEqualTo(401);
      assertThat(r.body().string()).contains("missing subscription key");
    }
    assertThat(azure.stats().rejected()).isEqualTo(2);
  }

  @Test
  void acceptsAnEntraIdBearerTokenOnlyWhenConfigured() throws IOException {
    Request request = new Request.Builder().url(azure.url() + PATH).header("Authorization", "Bearer entra-token")
        .post(RequestBody.create(CHAT, JSON)).build();
    try (Response r = client.newCall(request).execute()) {
      assertThat(r.code()).isEqualTo(401);
    }
    azure.acceptBearerToken("entra-token");
    try (Response r = client.newCall(request).execute()) {
      assertThat(r.code()).isEqualTo(200);
    }
  }

  @Test
  void checksTheApiVersionAndDeploymentLikeAzure() throws IOException {
    try (Response r = post("/openai/deployments/gpt4o-prod/chat/completions", "test-key", CHAT)) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(r.body().string()).contains("Resource not found");
    }
    try (Response r = post("/openai/deployments/gpt4o-prod/chat/completions?api-version=2019-01-01", "test-key", CHAT)) {
      assertThat(r.code()).isEqualTo(404);
    }
    try (Response r = post("/openai/deployments/other/chat/completions?api-version=2024-10-21", "test-key", CHAT)) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(r.body().string()).contains("DeploymentNotFound");
    }
    try (Response r = post(PATH, "test-key", "{\"messages\":[]}")) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body().string()).contains("invalid_request_error");
    }
  }

  @Test
  void servesTheV1PathWithTheDeploymentInModel() throws IOException {
    String body = "{\"model\":\"gpt4o-prod\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (Response r = post("/openai/v1/chat/completions", "test-key", body)) {
      assertThat(r.code()).isEqualTo(200);
    }
  }

  @Test
  void streamsWithTheEmptyChoicesFirstChunkAndDone() throws IOException {
    List<String> data = new ArrayList<>();
    try (Response r = post(PATH, "test-key", STREAM)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("text/event-stream");
      for (String line : r.body().string().split("\n")) {
        if (line.startsWith("data: ")) data.add(line.substring(6));
      }
    }
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonNode first = Wire.JSON.readTree(data.get(0));
    assertThat(first.path("choices")).isEmpty();
    assertThat(first.path("prompt_filter_results")).hasSize(1);
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonNode usage = null;
    for (String d : data.subList(1, data.size() - 1)) {
      JsonNode chunk = Wire.JSON.readTree(d);
      if (chunk.path("usage").isObject()) usage = chunk.get("usage");
      for (JsonNode c : chunk.path("choices")) {
        text.append(c.path("delta").path("content").asText(""));
        if (c.hasNonNull("finish_reason")) finish = c.get("finish_reason").asText();
      }
    }
    assertThat(text.toString()).startsWith("Hello from Azure OpenAI").contains("gpt4o-prod");
    assertThat(finish).isEqualTo("stop");
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(Wire.tokens(text.toString()).size());
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() throws IOException {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}";
    try (Response r = post(PATH, "test-key", body)) {
      JsonNode json = Wire.JSON.readTree(r.body().string());
      assertThat(json.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
      assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
    }
  }

  @Test
  void scriptedFaultsAreUsedInOrderThenItAnswersAgain() throws IOException {
    azure.enqueue(2, Fault.serviceUnavailable()).enqueue(Fault.rateLimited(Duration.ofSeconds(3)));
    for (int i = 0; i < 2; i++) {
      try (Response r = post(PATH, "test-key", CHAT)) {
        assertThat(r.code()).isEqualTo(503);
        assertThat(r.body().string()).contains("ServiceUnavailable");
      }
    }
    try (Response r = post(PATH, "test-key", CHAT)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("Retry-After")).isEqualTo("3");
    }
    try (Response r = post(PATH, "test-key", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
    }
    assertThat(azure.stats()).isEqualTo(new SimulatedEndpoint.Stats(4, 1, 3, 0));
    assertThat(azure.pendingFaults()).isZero();
  }

  @Test
  void aRejectedRequestDoesNotUseUpAFault() throws IOException {
    azure.enqueue(Fault.serviceUnavailable());
    try (Response r = post(PATH, "wrong", CHAT)) {
      assertThat(r.code()).isEqualTo(401);
    }
    assertThat(azure.pendingFaults()).isEqualTo(1);
  }

  @Test
  void aStreamCanBreakBeforeItsFirstToken() throws IOException {
    azure.enqueue(Fault.failStreamBeforeFirstToken());
    try (Response r = post(PATH, "test-key", STREAM)) {
      assertThat(r.code()).isEqualTo(200);
      String body = r.body().string();
      assertThat(body).contains("prompt_filter_results").doesNotContain("[DONE]").doesNotContain("\"delta\"");
    }
    try (Response r = post(PATH, "test-key", STREAM)) {
      assertThat(r.body().string()).contains("[DONE]");
    }
  }

  @Test
  void servesEmbeddingsOnBothUrlForms() throws IOException {
    String body = "{\"input\":[\"restart the stuck machine\",\"restart a stuck machine\",\"monthly invoices\"]}";
    try (Response r = post("/openai/deployments/gpt4o-prod/embeddings?api-version=2024-10-21", "test-key", body)) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode json = Wire.JSON.readTree(r.body().string());
      assertThat(json.path("data")).hasSize(3);
      JsonNode a = json.path("data").get(0).path("embedding");
      JsonNode b = json.path("data").get(1).path("embedding");
      JsonNode c = json.path("data").get(2).path("embedding");
      assertThat(a).hasSize(64);
      assertThat(dot(a, b)).isGreaterThan(dot(a, c));
      assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(10);
    }
    try (Response r = post("/openai/v1/embeddings", "test-key", "{\"model\":\"gpt4o-prod\",\"input\":\"hi\",\"dimensions\":8}")) {
      assertThat(Wire.JSON.readTree(r.body().string()).path("data").get(0).path("embedding")).hasSize(8);
    }
  }

  private static double dot(JsonNode a, JsonNode b) {
    double d = 0;
    for (int i = 0; i < a.size(); i++) d += a.get(i).asDouble() * b.get(i).asDouble();
    return d;
  }

  @Test
  void refusesConnectionsUntilItAcceptsThemAgainOnTheSamePort() throws IOException {
    int port = azure.port();
    azure.refuseConnections();
    assertThat(azure.acceptingConnections()).isFalse();
    assertThatThrownBy(() -> post(PATH, "test-key", CHAT)).isInstanceOf(ConnectException.class);
    azure.acceptConnections();
    assertThat(azure.port()).isEqualTo(port);
    try (Response r = post(PATH, "test-key", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
    }
  }

  private static final String RESPONSES = "/openai/v1/responses";
  private static final String RESPONSES_BODY = "{\"model\":\"gpt4o-prod\",\"instructions\":\"Be brief.\","
      + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"What is the capital of France?\"}]}]";

  @Test
  void servesTheResponsesApiOnTheV1Surface() throws IOException {
    try (Response r = post(RESPONSES, "test-key", RESPONSES_BODY + "}")) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode body = Wire.JSON.readTree(r.body().string());
      assertThat(body.path("id").asText()).startsWith("resp_");
      assertThat(body.path("object").asText()).isEqualTo("response");
      assertThat(body.path("status").asText()).isEqualTo("completed");
      JsonNode message = body.path("output").get(0);
      assertThat(message.path("type").asText()).isEqualTo("message");
      assertThat(message.path("role").asText()).isEqualTo("assistant");
      assertThat(message.path("content").get(0).path("type").asText()).isEqualTo("output_text");
      assertThat(message.path("content").get(0).path("text").asText()).contains("gpt4o-prod");
      JsonNode usage = body.path("usage");
      assertThat(usage.path("input_tokens").asInt()).isPositive();
      assertThat(usage.path("output_tokens").asInt()).isPositive();
      assertThat(usage.path("total_tokens").asInt()).isEqualTo(usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt());
      assertThat(usage.path("input_tokens_details").has("cached_tokens")).isTrue();
      assertThat(usage.path("output_tokens_details").has("reasoning_tokens")).isTrue();
    }
    try (Response r = post(RESPONSES, "test-key", "{\"model\":\"gpt4o-prod\"}")) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body().string()).contains("'input'");
    }
    assertThat(azure.requestPaths()).containsExactly(RESPONSES, RESPONSES);
    assertThat(azure.stats()).isEqualTo(new SimulatedEndpoint.Stats(2, 1, 0, 1));
  }

  @Test
  void streamsTheResponsesApisTypedEventsAndBreaksAfterResponseCreated() throws IOException {
    String stream = RESPONSES_BODY + ",\"stream\":true}";
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    try (Response r = post(RESPONSES, "test-key", stream)) {
      assertThat(r.code()).isEqualTo(200);
      for (String line : r.body().string().split("\n")) {
        if (!line.startsWith("data: ")) continue;
        JsonNode e = Wire.JSON.readTree(line.substring(6));
        types.add(e.path("type").asText());
        if (e.path("type").asText().equals("response.output_text.delta")) text.append(e.path("delta").asText());
        if (e.path("type").asText().equals("response.completed")) {
          assertThat(e.path("response").path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo(text.toString());
          assertThat(e.path("response").path("usage").path("output_tokens").asInt()).isPositive();
        }
      }
    }
    assertThat(types.get(0)).isEqualTo("response.created");
    assertThat(types).contains("response.output_text.delta", "response.output_text.done");
    assertThat(types.get(types.size() - 1)).isEqualTo("response.completed");
    assertThat(text.toString()).contains("gpt4o-prod");

    azure.enqueue(Fault.failStreamBeforeFirstToken());
    try (Response r = post(RESPONSES, "test-key", stream)) {
      String body = r.body().string();
      assertThat(body).contains("event: response.created").doesNotContain("response.output_text.delta", "response.completed");
    }
    azure.enqueue(Fault.serviceUnavailable());
    try (Response r = post(RESPONSES, "test-key", stream)) {
      assertThat(r.code()).isEqualTo(503);
    }
  }
}
