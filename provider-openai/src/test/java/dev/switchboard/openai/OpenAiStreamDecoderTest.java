package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testkit.Fixtures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiStreamDecoderTest {
  private static final ErrorContext CTX = new ErrorContext("openai", "test");
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());

  @Test
  void vercelTextChunksDecodeToTextFinishAndUsage() {
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    for (String line : Fixtures.text("openai/vercel-ai/openai-text.chunks.txt").split("\n")) {
      if (!line.isBlank()) d.accept(line, events::add);
    }
    d.accept("[DONE]", events::add);
    ResponseMetadata meta = d.finish(events::add, Optional.empty(), Optional.empty());
    StreamCollector acc = new StreamCollector();
    events.forEach(acc::accept);
    assertThat(events).last().isEqualTo(new ChatEvent.Finish(FinishReason.STOP));
    assertThat(events).filteredOn(e -> e instanceof ChatEvent.TextDelta t && t.text().isEmpty()).isEmpty();
    assertThat(acc.partial().text()).startsWith("**Holiday Name:**");
    assertThat(acc.partial().usage()).isPresent();
    assertThat(meta.model()).isEqualTo("gpt-4.1-nano-2025-04-14");
    assertThat(meta.metadata()).containsEntry(OpenAiCodec.SYSTEM_FINGERPRINT, "fp_de604bd877");
  }

  @Test
  void azureChunksReachTheExtraFieldsHookWithoutEmptyTextEvents() {
    List<String> seen = new ArrayList<>();
    ExtraFields hook = new ExtraFields() {
      @Override
      public boolean wants(boolean inChoice, String name) {
        return name.endsWith("filter_results") || name.equals("content_filter_offsets");
      }

      @Override
      public void accept(int choice, String name, JsonNode value) {
        seen.add(choice + ":" + name);
      }
    };
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), hook);
    for (String line : Fixtures.text("azure-openai/vercel-ai/openai-compatible-azure-text.chunks.txt").split("\n")) {
      if (!line.isBlank()) d.accept(line, events::add);
    }
    d.finish(events::add, Optional.empty(), Optional.empty());
    assertThat(seen).contains("-1:prompt_filter_results", "0:content_filter_results", "0:content_filter_offsets");
    assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance)
        .extracting(e -> ((ChatEvent.TextDelta) e).text()).containsExactly("Hello", " World");
    assertThat(events).last().isEqualTo(new ChatEvent.Finish(FinishReason.STOP));
  }

  @Test
  void aWantedObjectWhoseTextRepeatsIsOfferedAsTextAndNeverBuiltIntoATree() {
    String verdicts = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false}}";
    String changed = "{\"hate\":{\"filtered\":true,\"severity\":\"high\"}}";
    List<String> offered = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    ExtraFields hook = new ExtraFields() {
      private String last;

      @Override
      public boolean wants(boolean inChoice, String name) {
        return name.equals("content_filter_results");
      }

      @Override
      public boolean repeats(String name, String json) {
        offered.add(json);
        boolean same = json.equals(last);
        last = json;
        return same;
      }

      @Override
      public void accept(int choice, String name, JsonNode value) {
        accepted.add(choice + ":" + value);
      }
    };
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), hook);
    for (String v : List.of(verdicts, verdicts, verdicts, changed)) {
      // The index after the verdicts, as Azure sends it; whitespace around them is not theirs.
      d.accept("{\"choices\":[{\"delta\":{\"content\":\"x\"},\"content_filter_results\": " + v + " ,\"index\":0}]}", events::add);
    }
    assertThat(offered).containsExactly(verdicts, verdicts, verdicts, changed);
    assertThat(accepted).containsExactly("0:" + verdicts, "0:" + changed);
    assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance).hasSize(4);
  }

  @Test
  void aHookComparingInPlaceIsGivenTheWholeChunkAndTheVerdictsSpan() {
    // Nested objects, an escape and line breaks inside the span; spaces and a newline around it.
    String verdicts = "{\"hate\":{\"filtered\":false,\n\"severity\":\"s\\u0061fe\"},\"custom_blocklists\":{\"details\":[{\"id\":\"a\"}]}}";
    List<String> spans = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    ExtraFields hook = new ExtraFields() {
      @Override
      public boolean wants(boolean inChoice, String name) {
        return name.equals("content_filter_results");
      }

      @Override
      public boolean repeats(String name, String json) {
        throw new AssertionError("the decoder asks with the span, not cut-out text");
      }

      @Override
      public boolean repeats(String name, String source, int start, int end) {
        assertThat(source).startsWith("{\"choices\"");
        spans.add(source.substring(start, end));
        return spans.size() > 1;
      }

      @Override
      public void accept(int choice, String name, JsonNode value) {
        accepted.add(choice + ":" + value);
      }
    };
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), hook);
    for (int i = 0; i < 3; i++) {
      d.accept("{\"choices\":[{\"content_filter_results\":  \n" + verdicts + "\n ,\"delta\":{\"content\":\"x\"},\"index\":0}]}", e -> { });
    }
    assertThat(spans).containsExactly(verdicts, verdicts, verdicts);
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0)).startsWith("0:{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}");
  }

  @Test
  void streamWithoutDoneOrFinishReasonIsTruncated() {
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    List<ChatEvent> events = new ArrayList<>();
    d.accept("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}", events::add);
    assertThatThrownBy(() -> d.finish(events::add, Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
          assertThat(e.detail()).contains("truncated stream");
        });
  }
}
