package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.chunk;
import static dev.switchboard.azure.AzureWire.json;
import static dev.switchboard.azure.AzureWire.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.FinishReason;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an Azure answer says beyond its text, read through provider-neutral accessors only (no
 * OpenAI class is imported): the refusal, streamed and not, and the raw finish reason.
 */
class AzureResponseModelTest extends AzureTestBase {
  private static final String PATH = "/openai/deployments/gpt-4o-prod/chat/completions";

  @Test
  void aNonStreamedRefusalIsOnTheMessage() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, "{\"choices\":[{\"content_filter_results\":{},"
        + "\"finish_reason\":\"stop\",\"index\":0,\"message\":{\"content\":null,\"refusal\":\"I can't help with that.\","
        + "\"role\":\"assistant\"}}],\"id\":\"chatcmpl-r\",\"model\":\"gpt-4o-2024-11-20\",\"object\":\"chat.completion\","
        + "\"usage\":{\"completion_tokens\":6,\"prompt_tokens\":9,\"total_tokens\":15}}")));
    ChatResponse r = chat(provider(deployment().apiKey(KEY).build()), hello(), "gpt-4o-prod");
    assertThat(r.message().refusal()).contains("I can't help with that.");
    assertThat(r.text()).isEmpty();
    assertThat(r.rawFinishReason()).contains("stop");
  }

  /** Through a whole Switchboard: the final response of a stream assembles the refusal deltas. */
  @Test
  void aStreamedRefusalReachesTheFinalResponse() throws Exception {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(AzureWire.PROMPT_CHUNK
        + chunk("{\"content\":null,\"refusal\":\"\",\"role\":\"assistant\"}", null, "{}")
        + chunk("{\"refusal\":\"I can't \"}", null, "{}")
        + chunk("{\"refusal\":\"help with that.\"}", null, "{}")
        + chunk("{}", "stop", "{}")
        + AzureWire.usageChunk(9, 6)
        + "data: [DONE]\n\n")));
    try (Switchboard sb = Switchboard.builder().scanClasspath(false)
        .deployment("az", provider(deployment().apiKey(KEY).build()))
        .model(ModelAlias.builder("chat").target("az", "gpt-4o-prod").build()).build()) {
      List<ChatEvent> events = new ArrayList<>();
      ChatResponse r;
      try (ChatStream s = sb.stream(ChatRequest.of("chat", "Say something you must refuse"))) {
        s.forEach(events::add);
        r = s.response().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      }
      assertThat(events).filteredOn(ChatEvent.RefusalDelta.class::isInstance)
          .containsExactly(new ChatEvent.RefusalDelta("I can't "), new ChatEvent.RefusalDelta("help with that."));
      assertThat(events).noneMatch(ChatEvent.TextDelta.class::isInstance);
      assertThat(r.message().refusal()).contains("I can't help with that.");
      assertThat(r.text()).isEmpty();
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.rawFinishReason()).contains("stop");
      assertThat(r.metadata()).doesNotContainKey("openai.refusal");
    }
  }
}
