package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.chunk;
import static dev.switchboard.azure.AzureWire.json;
import static dev.switchboard.azure.AzureWire.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testkit.conformance.RecordingListener;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Content filtering in the shapes Azure documents but no recording has: a 200 whose completion
 * the filter cut (finish_reason content_filter), streamed and not, and a classic-URL stream with
 * annotation-only chunks and content_filter_offsets.
 */
class AzureContentFilterTest extends AzureTestBase {
  private static final String PATH = "/openai/deployments/gpt-4o-prod/chat/completions";
  private static final String VIOLENCE_HIGH = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"violence\":{\"filtered\":true,\"severity\":\"high\"}}";

  private ChatProvider provider() {
    return provider(deployment().apiKey(KEY).build());
  }

  @Test
  void aCompletionCutByTheFilterEndsWithContentFilter() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200,
        AzureWire.completion("null", "content_filter", VIOLENCE_HIGH, 20, 0))));
    ChatResponse r = chat(provider(), hello(), "gpt-4o-prod");
    assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(r.text()).isEmpty();
    ContentFilterResults results = AzureMetadata.contentFilterResults(r).orElseThrow();
    assertThat(results.filtered()).isTrue();
    assertThat(results.filteredCategories()).containsExactly("violence");
    assertThat(results.category("violence").orElseThrow().severity()).contains("high");
    PromptFilterResults prompt = AzureMetadata.promptFilterResults(r).orElseThrow();
    assertThat(prompt.filtered()).isFalse();
    assertThat(prompt.first().orElseThrow().category("jailbreak").orElseThrow().detected()).contains(false);
    assertThat(AzureMetadata.responseInfo(r).orElseThrow().region()).contains("East US");
    assertThat(r.requestId()).contains("apim-1");
  }

  @Test
  void aStreamCutByTheFilterEndsWithContentFilterAndItsVerdicts() {
    String body = AzureWire.PROMPT_CHUNK
        + chunk("{\"content\":\"\",\"role\":\"assistant\"}", null, "{}")
        + chunk("{\"content\":\"The fight\"}", null, AzureWire.SAFE_FILTERS)
        + chunk("{}", "content_filter", VIOLENCE_HIGH)
        + AzureWire.usageChunk(20, 3)
        + "data: [DONE]\n\n";
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(body)));
    RecordingListener l = stream(provider(), hello(), "gpt-4o-prod");
    ResponseMetadata m = l.await(BOUND);
    assertThat(l.text()).isEqualTo("The fight");
    assertThat(l.events).last().isEqualTo(new ChatEvent.Finish(FinishReason.CONTENT_FILTER));
    ContentFilterResults results = (ContentFilterResults) m.metadata().get(AzureMetadata.CONTENT_FILTER_RESULTS);
    assertThat(results.filteredCategories()).containsExactly("violence");
    // Merged across chunks: the filtered verdict and highest severity win over the earlier "safe".
    assertThat(results.category("violence").orElseThrow().severity()).contains("high");
  }

  @Test
  void aClassicUrlStreamWithAnnotationChunksGivesNoEmptyEvents() {
    // Asynchronous filtering: verdicts arrive in annotation-only chunks (no delta) with the
    // offsets they cover, one of them after the finish chunk.
    String annotation = "data: {\"choices\":[{\"content_filter_offsets\":{\"check_offset\":0,\"start_offset\":0,"
        + "\"end_offset\":11},\"content_filter_results\":" + AzureWire.SAFE_FILTERS + ",\"finish_reason\":null,"
        + "\"index\":0}],\"created\":1,\"id\":\"chatcmpl-st\",\"model\":\"gpt-4o\",\"object\":\"chat.completion.chunk\"}\n\n";
    String body = AzureWire.PROMPT_CHUNK
        + chunk("{\"content\":\"\",\"refusal\":null,\"role\":\"assistant\"}", null, "{}")
        + chunk("{\"content\":\"Hello\"}", null, "{}")
        + annotation
        + chunk("{\"content\":\" World\"}", null, "{}")
        + chunk("{}", "stop", "{}")
        + annotation.replace("\"end_offset\":11", "\"end_offset\":17")
        + AzureWire.usageChunk(15, 5)
        + "data: [DONE]\n\n";
    server.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("api-version", equalTo("2024-10-21"))
        .withHeader("api-key", equalTo(KEY)).willReturn(sse(body)));
    RecordingListener l = stream(provider(), hello(), "gpt-4o-prod");
    ResponseMetadata m = l.await(BOUND);

    assertThat(l.events).noneMatch(e -> e instanceof ChatEvent.TextDelta d && d.text().isEmpty());
    assertThat(l.events).containsExactly(new ChatEvent.TextDelta("Hello"), new ChatEvent.TextDelta(" World"),
        new ChatEvent.UsageUpdate(dev.switchboard.Usage.of(15, 5)), new ChatEvent.Finish(FinishReason.STOP));
    StreamCollector acc = new StreamCollector();
    l.events.forEach(acc::accept);
    assertThat(acc.partial().text()).isEqualTo("Hello World");
    ContentFilterResults results = (ContentFilterResults) m.metadata().get(AzureMetadata.CONTENT_FILTER_RESULTS);
    assertThat(results.filtered()).isFalse();
    assertThat(results.categories().keySet()).containsExactly("hate", "self_harm", "sexual", "violence");
    PromptFilterResults prompt = (PromptFilterResults) m.metadata().get(AzureMetadata.PROMPT_FILTER_RESULTS);
    assertThat(prompt.prompts()).hasSize(1);
    assertThat(m.requestId()).contains("apim-s");
    assertThat(((AzureResponseInfo) m.metadata().get(AzureMetadata.RESPONSE_INFO)).region()).contains("Sweden Central");
    assertThat(m.model()).isEqualTo("gpt-5-mini-2025-08-07");
    assertThat(m.id()).contains("chatcmpl-st");
  }

  @Test
  void a400ContentFilterNamesTheCategories() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(400, "{\"error\":{\"message\":\"The response was filtered"
        + " due to the prompt triggering Azure OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\","
        + "\"code\":\"content_filter\",\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\","
        + "\"content_filter_result\":{\"hate\":{\"filtered\":true,\"severity\":\"medium\"},\"jailbreak\":{\"filtered\":true,"
        + "\"detected\":true},\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"filtered\":true,\"id\":\"banned-words\"},"
        + "{\"filtered\":false,\"id\":\"other\"}]},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}}}}")));
    assertThatThrownBy(() -> chat(provider(), hello(), "gpt-4o-prod")).isInstanceOfSatisfying(AzureOpenAiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
      assertThat(e.providerCode()).contains("content_filter");
      assertThat(e.filteredCategories()).containsExactly("hate", "jailbreak", "custom_blocklists");
      assertThat(e.contentFilterResults().orElseThrow().category("custom_blocklists").orElseThrow().blocklists())
          .containsExactly("banned-words");
      assertThat(e.getMessage()).contains("blocked the prompt").contains("hate (severity medium)")
          .contains("jailbreak (detected)").contains("custom_blocklists");
    });
  }

  @Test
  void a400ContentFilterWithoutInnerErrorIsStillContentFiltered() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(400, AzureWire.error("content_filter",
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."))));
    assertThatThrownBy(() -> chat(provider(), hello(), "gpt-4o-prod")).isInstanceOfSatisfying(AzureOpenAiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
      assertThat(e.filteredCategories()).isEmpty();
      assertThat(e.contentFilterResults()).contains(ContentFilterResults.EMPTY);
    });
  }

  @Test
  void aFilterThatCouldNotRunReportsItsError() {
    String filters = "{\"error\":{\"code\":\"content_filter_error\",\"message\":\"The contents are not filtered\"}}";
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, AzureWire.completion("\"ok\"", "stop", filters, 1, 1))));
    ChatResponse r = chat(provider(), hello(), "gpt-4o-prod");
    ContentFilterResults results = AzureMetadata.contentFilterResults(r).orElseThrow();
    assertThat(results.error()).contains("content_filter_error");
    assertThat(results.categories()).isEmpty();
    assertThat(Optional.of(r.text())).contains("ok");
    assertThat(List.of(r.finishReason())).containsExactly(FinishReason.STOP);
  }
}
