package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.FinishReason;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The server's tool-call index is a number it chose, never a size to allocate. */
class ToolCallIndexTest {
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());

  private List<ChatEvent> decode(String... chunks) {
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder d = codec.streamDecoder(new ErrorContext("openai", "test"), List.of(), ExtraFields.NONE);
    for (String c : chunks) d.accept(c, events::add);
    d.accept("[DONE]", events::add);
    d.finish(events::add, Optional.empty(), Optional.empty());
    return events;
  }

  private static String toolChunk(String index, String id, String name, String args) {
    return "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{" + (index == null ? "" : "\"index\":" + index + ",")
        + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"function\":{" + (name == null ? "" : "\"name\":\"" + name + "\",")
        + "\"arguments\":\"" + args + "\"}}]}}]}";
  }

  @Test
  void anIndexOfTwoBillionIsOneToolCallNotAHeapFullOfSlots() {
    // Before the fix the decoder grew a list up to the index and died with OutOfMemoryError.
    assertThat(decode(toolChunk("2147483647", "call_1", "f", "{}"))).containsExactly(
        new ChatEvent.ToolCallDelta(0, Optional.of("call_1"), Optional.of("f"), "{}"),
        new ChatEvent.Finish(FinishReason.TOOL_CALLS));
  }

  @Test
  void sparseIndexesStillGetDenseEventIndexesInOrderOfAppearance() {
    assertThat(decode(toolChunk("7", "a", "f", "{"), toolChunk("1000000", "b", "g", "{}"), toolChunk("7", null, null, "}")))
        .containsExactly(
            new ChatEvent.ToolCallDelta(0, Optional.of("a"), Optional.of("f"), "{"),
            new ChatEvent.ToolCallDelta(1, Optional.of("b"), Optional.of("g"), "{}"),
            new ChatEvent.ToolCallDelta(0, Optional.empty(), Optional.empty(), "}"),
            new ChatEvent.Finish(FinishReason.TOOL_CALLS));
  }

  @Test
  void withoutIndexesAnIdStartsACallAndNoIdContinuesTheLast() {
    assertThat(decode(toolChunk(null, "a", "f", "{"), toolChunk(null, null, null, "}"), toolChunk(null, "b", "g", "{}")))
        .containsExactly(
            new ChatEvent.ToolCallDelta(0, Optional.of("a"), Optional.of("f"), "{"),
            new ChatEvent.ToolCallDelta(0, Optional.empty(), Optional.empty(), "}"),
            new ChatEvent.ToolCallDelta(1, Optional.of("b"), Optional.of("g"), "{}"),
            new ChatEvent.Finish(FinishReason.TOOL_CALLS));
  }
}
