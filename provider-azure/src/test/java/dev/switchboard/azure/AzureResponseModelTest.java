package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.chunk;
import static dev.switchboard.azure.AzureWire.json;
import static dev.switchboard.azure.AzureWire.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.FinishReason;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an Azure answer says beyond its text, read through provider-neutral accessors only (no
 * OpenAI class is imported): the refusal, streamed and not, the raw finish reason, and the error's
 * own message, type and inner code.
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

  private Switchboard switchboard() {
    return Switchboard.builder().scanClasspath(false)
        .deployment("az", provider(deployment().apiKey(KEY).build()))
        .model(ModelAlias.builder("chat").target("az", "gpt-4o-prod").build()).build();
  }

  /** The exception that ends the call, not only the attempt's, carries what Azure said. */
  @Test
  void aContentFilterErrorKeepsAzuresCodeInnerCodeAndMessage() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(400, "{\"error\":{\"message\":\"The response was filtered due to"
        + " the prompt triggering Azure OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\","
        + "\"code\":\"content_filter\",\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\","
        + "\"content_filter_result\":{\"self_harm\":{\"filtered\":true,\"severity\":\"medium\"}}}}}")));
    try (Switchboard sb = switchboard()) {
      SwitchboardException e = catchThrowableOfType(() -> sb.chat(ChatRequest.of("chat", "hi")), SwitchboardException.class);
      assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
      assertThat(e.providerCode()).contains("content_filter");
      assertThat(e.providerInnerCode()).contains("ResponsibleAIPolicyViolation");
      assertThat(e.providerType()).isEmpty();
      assertThat(e.providerMessage()).contains("The response was filtered due to the prompt triggering Azure OpenAI's"
          + " content management policy.");
      assertThat(e.detail()).startsWith("Azure's content filter blocked the prompt for self_harm");
    }
  }

  @Test
  void aKeyEchoedIntoAnyErrorFieldIsMaskedInEveryAccessor() {
    String foreign = "sk-proj-echoedForeignKey0123456789";
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(400, "{\"error\":{\"message\":\"bad key " + KEY + " and " + foreign
        + "\",\"type\":\"type-" + KEY + "\",\"code\":\"code-" + KEY + "\",\"innererror\":{\"code\":\"inner-" + KEY + "\"}}}")));
    try (Switchboard sb = switchboard()) {
      SwitchboardException e = catchThrowableOfType(() -> sb.chat(ChatRequest.of("chat", "hi")), SwitchboardException.class);
      assertThat(e.providerMessage()).contains("bad key **** and ****");
      assertThat(e.providerType()).contains("type-****");
      assertThat(e.providerCode()).contains("code-****");
      assertThat(e.providerInnerCode()).contains("inner-****");
      AzureOpenAiException attempt = AzureOpenAiException.find(e).orElseThrow();
      assertThat(attempt.providerInnerCode()).contains("inner-****");
      assertThat(attempt.toBuilder().build().providerInnerCode()).contains("inner-****");
      for (SwitchboardException x : List.of(e, attempt)) {
        for (String text : List.of(x.getMessage(), x.toString(), x.providerMessage().orElse(""), x.providerType().orElse(""),
            x.providerCode().orElse(""), x.providerInnerCode().orElse(""))) {
          assertThat(text).doesNotContain(KEY).doesNotContain(foreign);
        }
      }
    }
  }
}
