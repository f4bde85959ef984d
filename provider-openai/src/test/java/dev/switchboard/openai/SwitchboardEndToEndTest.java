package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider as a user meets it: found on the classpath by type {@code openai}, behind a
 * {@link Switchboard}, failing over from a deployment whose key is rejected to one that answers.
 */
class SwitchboardEndToEndTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private Switchboard switchboard() {
    h.server.stubFor(post(urlPathEqualTo("/bad/chat/completions")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
    h.server.stubFor(post(urlPathEqualTo("/good/chat/completions")).withHeader("Accept", com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/json"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withHeader("x-request-id", "req_good")
            .withBody("{\"id\":\"chatcmpl-9\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"Paris.\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}")));
    h.server.stubFor(post(urlPathEqualTo("/good/chat/completions")).withHeader("Accept", com.github.tomakehurst.wiremock.client.WireMock.equalTo("text/event-stream"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
            .withBody("data: {\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"}}]}\n\n"
                + "data: {\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is.\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n"
                + "data: [DONE]\n\n")));
    return Switchboard.builder()
        .httpClient(h.httpClient)
        .deployment(OpenAi.deployment("primary").baseUrl(h.server.baseUrl() + "/bad").apiKey("sk-revoked-000000000000").build())
        .deployment(OpenAi.deployment("secondary").baseUrl(h.server.baseUrl() + "/good").apiKey("sk-live-111111111111").build())
        .model(ModelAlias.builder("gpt-4o").target("primary", "gpt-4o").target("secondary", "gpt-4o").build())
        .build();
  }

  @Test
  void chatFailsOverToTheDeploymentThatAnswers() {
    try (Switchboard sb = switchboard()) {
      ChatResponse r = sb.chat(ChatRequest.of("gpt-4o", "Capital of France?"));
      assertThat(r.text()).isEqualTo("Paris.");
      assertThat(r.servedBy()).isEqualTo(new TargetRef("secondary", "openai", "gpt-4o"));
      assertThat(r.attempts()).hasSize(2);
      assertThat(r.requestId()).contains("req_good");
      assertThat(r.usage().totalTokens()).isEqualTo(11);
    }
  }

  @Test
  void streamFailsOverBeforeTheFirstEvent() {
    try (Switchboard sb = switchboard(); ChatStream stream = sb.stream(ChatRequest.of("gpt-4o", "Capital of France?"))) {
      List<ChatEvent> events = new ArrayList<>();
      stream.forEach(events::add);
      ChatResponse r = stream.response().join();
      assertThat(r.text()).isEqualTo("Paris.");
      assertThat(r.servedBy().deployment()).isEqualTo("secondary");
      assertThat(events).contains(new ChatEvent.TextDelta("Par"), new ChatEvent.TextDelta("is."));
    }
  }
}
