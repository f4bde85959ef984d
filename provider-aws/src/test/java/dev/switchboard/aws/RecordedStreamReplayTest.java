package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatEvent;
import dev.switchboard.FinishReason;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.aws.testing.ChunkedSource;
import dev.switchboard.aws.testing.RecordedStreams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import okio.Buffer;
import okio.BufferedSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Every recorded ConverseStream body (pydantic-ai cassettes, New Relic, Vercel) decoded through
 * {@link EventStreamReader} and {@link ConverseStreamMapper}: read in random chunk sizes down to
 * one byte (and in the chunks New Relic recorded off the network), the events are identical to
 * a whole-body read, and they add up to what an independent decoding (the SDK's
 * {@link MessageDecoder} and plain JSON) finds in the recording.
 */
class RecordedStreamReplayTest {
  static Stream<RecordedStreams.Recorded> recordings() {
    return RecordedStreams.all().stream();
  }

  static List<ChatEvent> decode(BufferedSource source, List<Boolean> finished) throws IOException {
    ConverseStreamMapper mapper = new ConverseStreamMapper(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "replay"),
        Optional.empty(), List.of(), "req");
    EventStreamReader reader = new EventStreamReader(source, 1024 * 1024);
    List<ChatEvent> events = new ArrayList<>();
    Message m;
    while ((m = reader.next()) != null) mapper.accept(m, events::add);
    finished.add(mapper.finished());
    return events;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordings")
  void chunkingNeverChangesTheEvents(RecordedStreams.Recorded recorded) throws IOException {
    List<Boolean> finished = new ArrayList<>();
    List<ChatEvent> reference = decode(new Buffer().write(recorded.body()), finished);
    assertThat(reference).isNotEmpty();
    for (int maxChunk : new int[] {1, 2, 3, 5, 16, 100, 1000}) {
      for (long seed = 1; seed <= 3; seed++) {
        assertThat(decode(ChunkedSource.of(recorded.body(), seed * 31 + maxChunk, maxChunk), finished))
            .as("max chunk %d, seed %d", maxChunk, seed).isEqualTo(reference);
      }
    }
    if (!recorded.chunks().isEmpty()) {
      // The reads New Relic recorded off the network, frame boundaries falling mid-chunk.
      assertThat(decode(dev.switchboard.aws.testing.ChunkList.of(recorded.chunks()), finished)).isEqualTo(reference);
    }
    assertThat(finished).allMatch(f -> f == finished.get(0));
    assertMatchesIndependentDecoding(recorded, reference, finished.get(0));
  }

  /** What the recording holds, read with the SDK's own streaming decoder and plain JSON. */
  private static void assertMatchesIndependentDecoding(RecordedStreams.Recorded recorded, List<ChatEvent> events, boolean finished)
      throws IOException {
    List<Message> frames = new ArrayList<>();
    new MessageDecoder(frames::add).feed(recorded.body());
    StringBuilder text = new StringBuilder();
    List<String> toolNames = new ArrayList<>();
    String stopReason = null;
    JsonNode usage = null;
    // Reasoning blocks by content block index, in order of appearance: text, signature, redacted content.
    java.util.Map<Integer, String[]> reasoning = new java.util.LinkedHashMap<>();
    for (Message f : frames) {
      String type = f.getHeaders().get(":event-type").getString();
      JsonNode p = ProviderTestKit.objectMapper().readTree(new String(f.getPayload(), StandardCharsets.UTF_8));
      switch (type) {
        case "contentBlockDelta" -> {
          if (p.path("delta").has("text")) text.append(p.path("delta").path("text").asText());
          JsonNode r = p.path("delta").path("reasoningContent");
          if (r.isObject()) {
            String[] block = reasoning.computeIfAbsent(p.get("contentBlockIndex").asInt(), i -> new String[] {"", null, null});
            if (r.has("text")) block[0] += r.get("text").asText();
            if (r.has("signature")) block[1] = r.get("signature").asText();
            if (r.has("redactedContent")) block[2] = r.get("redactedContent").asText();
          }
        }
        case "contentBlockStart" -> {
          JsonNode use = p.path("start").path("toolUse");
          if (!use.isMissingNode() && !"server_tool_use".equals(use.path("type").asText())) toolNames.add(use.path("name").asText());
        }
        case "messageStop" -> stopReason = p.path("stopReason").asText();
        case "metadata" -> usage = p.path("usage");
        default -> { }
      }
    }
    StreamCollector acc = new StreamCollector();
    events.forEach(acc::accept);
    assertThat(acc.partial().text()).isEqualTo(text.toString());
    List<dev.switchboard.Reasoning> expectedReasoning = new ArrayList<>();
    for (String[] b : reasoning.values()) {
      expectedReasoning.add(dev.switchboard.Reasoning.builder(dev.switchboard.Reasoning.Wire.CONVERSE).text(b[0]).signature(b[1])
          .encryptedContent(b[2]).build());
    }
    assertThat(acc.reasoning()).as("reasoning blocks").isEqualTo(expectedReasoning);
    assertThat(acc.toolCalls()).extracting(t -> t.name()).containsExactlyElementsOf(toolNames);
    for (var call : acc.toolCalls()) {
      assertThat(ProviderTestKit.objectMapper().readTree(call.arguments()).isObject()).as("arguments of %s are a JSON object", call.name()).isTrue();
    }
    assertThat(finished).isEqualTo(stopReason != null);
    List<FinishReason> finishes = events.stream().filter(e -> e instanceof ChatEvent.Finish)
        .map(e -> ((ChatEvent.Finish) e).reason()).toList();
    if (stopReason != null) {
      FinishReason expected = switch (stopReason) {
        case "end_turn", "stop_sequence" -> FinishReason.STOP;
        case "tool_use" -> toolNames.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
        case "max_tokens" -> FinishReason.LENGTH;
        case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
        default -> FinishReason.OTHER;
      };
      assertThat(finishes).containsExactly(expected);
    } else {
      assertThat(finishes).isEmpty();
    }
    if (usage != null) {
      List<ChatEvent.UsageUpdate> updates = events.stream().filter(e -> e instanceof ChatEvent.UsageUpdate)
          .map(e -> (ChatEvent.UsageUpdate) e).toList();
      assertThat(updates).hasSize(1);
      assertThat(updates.get(0).usage().inputTokens()).isEqualTo(usage.path("inputTokens").asInt());
      assertThat(updates.get(0).usage().outputTokens()).isEqualTo(usage.path("outputTokens").asInt());
      if (usage.has("cacheReadInputTokens")) {
        assertThat(updates.get(0).usage().cachedInputTokens()).hasValue(usage.get("cacheReadInputTokens").asInt());
      }
    }
  }
}
