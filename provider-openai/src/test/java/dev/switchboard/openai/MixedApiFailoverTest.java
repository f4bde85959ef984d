package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.openai.testkit.ResponsesBodies.message;
import static dev.switchboard.openai.testkit.ResponsesBodies.response;
import static dev.switchboard.openai.testkit.ResponsesBodies.textStream;
import static dev.switchboard.openai.testkit.ResponsesBodies.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One model alias over a Chat Completions deployment and a Responses API deployment: a failure of
 * the first fails over to the second with the same semantics as between two deployments of one
 * API, for calls and for streams; what reached each server is counted.
 */
class MixedApiFailoverTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private Switchboard switchboard() {
    h.server.stubFor(post(urlPathEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
            + "\"code\":\"invalid_api_key\"}}")));
    h.server.stubFor(post(urlPathEqualTo("/resp/v1/responses")).withHeader("Accept",
        com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/json"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(response("completed", message("Paris."), usage(9, 2)))));
    h.server.stubFor(post(urlPathEqualTo("/resp/v1/responses")).withHeader("Accept",
        com.github.tomakehurst.wiremock.client.WireMock.equalTo("text/event-stream"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
            .withBody(textStream(List.of("Par", "is."), 9, 2))));
    return Switchboard.builder()
        .httpClient(h.httpClient)
        .deployment(OpenAi.deployment("chat").baseUrl(h.server.baseUrl() + "/chat/v1").apiKey("sk-a-000000000000").build())
        .deployment(OpenAi.deployment("resp").baseUrl(h.server.baseUrl() + "/resp/v1").apiKey("sk-b-111111111111")
            .api(OpenAiApi.RESPONSES).build())
        .model(ModelAlias.builder("gpt").target("chat", "gpt-4o").target("resp", "gpt-5").build())
        .build();
  }

  @Test
  void aChatFailsOverFromChatCompletionsToTheResponsesApi() {
    try (Switchboard sb = switchboard()) {
      ChatResponse r = sb.chat(ChatRequest.builder("gpt").system("Be brief.").user("Capital of France?").build());
      assertThat(r.text()).isEqualTo("Paris.");
      assertThat(r.servedBy().deployment()).isEqualTo("resp");
      assertThat(r.usage().totalTokens()).isEqualTo(11);
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    }
    h.server.verify(1, postRequestedFor(urlPathEqualTo("/resp/v1/responses")));
    h.server.verify(1, postRequestedFor(urlPathEqualTo("/chat/v1/chat/completions")));
    h.validateRequests();
  }

  @Test
  void aStreamFailsOverBeforeItsFirstEvent() {
    try (Switchboard sb = switchboard(); ChatStream stream = sb.stream(ChatRequest.of("gpt", "Capital of France?"))) {
      List<ChatEvent> events = new ArrayList<>();
      stream.forEach(events::add);
      ChatResponse r = stream.response().join();
      assertThat(r.text()).isEqualTo("Paris.");
      assertThat(r.servedBy().deployment()).isEqualTo("resp");
      assertThat(events).contains(new ChatEvent.TextDelta("Par"), new ChatEvent.TextDelta("is."));
      assertThat(events).filteredOn(e -> e instanceof ChatEvent.Finish).hasSize(1);
    }
    h.server.verify(1, postRequestedFor(urlPathEqualTo("/resp/v1/responses")));
    h.server.verify(1, postRequestedFor(urlPathEqualTo("/chat/v1/chat/completions")));
    h.validateRequests();
  }
}
