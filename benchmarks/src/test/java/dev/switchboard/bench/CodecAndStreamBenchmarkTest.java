package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.aws.BedrockCodecAccess;
import dev.switchboard.azure.AzureCodecAccess;
import dev.switchboard.bench.baseline.TreeCodec;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.ExtraFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The codec and stream benchmarks compare like with like: each Switchboard variant and its
 * baseline turn the same canned bytes into the same answer, and every chunk is decoded.
 */
class CodecAndStreamBenchmarkTest {
  private final ObjectMapper mapper = ProviderTestKit.newObjectMapper();
  private final CodecBenchmark codec = new CodecBenchmark();
  private final StreamParseBenchmark streams = new StreamParseBenchmark();

  @BeforeEach
  void setUp() {
    codec.setup();
    streams.setup();
  }

  @Test
  void requestBodiesCarryTheSameFieldsBothWays() throws Exception {
    JsonNode switchboard = mapper.readTree(codec.switchboardOpenAiRequest());
    JsonNode tree = mapper.readTree(codec.treeOpenAiRequest());
    assertThat(tree).isEqualTo(switchboard);

    JsonNode bedrock = mapper.readTree(codec.switchboardBedrockRequest());
    JsonNode bedrockTree = mapper.readTree(codec.treeBedrockRequest());
    assertThat(bedrockTree.get("messages")).isEqualTo(bedrock.get("messages"));
    assertThat(bedrockTree.get("system")).isEqualTo(bedrock.get("system"));
    assertThat(bedrockTree.get("inferenceConfig")).isEqualTo(bedrock.get("inferenceConfig"));
    assertThat(bedrockTree.at("/toolConfig/tools")).isEqualTo(bedrock.at("/toolConfig/tools"));
  }

  @Test
  void responsesDecodeToTheSameAnswerBothWays() {
    for (ChatResponse r : List.of(codec.switchboardOpenAiResponse(), codec.treeOpenAiResponse(),
        codec.switchboardAzureResponse(), codec.treeAzureResponse(),
        codec.switchboardBedrockResponse(), codec.treeBedrockResponse())) {
      assertThat(r.text()).isEqualTo(Payloads.answerText());
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.usage().inputTokens()).isEqualTo(187);
      assertThat(r.usage().outputTokens()).isEqualTo(71);
    }
    // Switchboard also types Azure's content-filter verdicts.
    assertThat(codec.switchboardAzureResponse().metadata()).containsKeys("azure.prompt_filter_results",
        "azure.content_filter_results");
  }

  @Test
  void largeBedrockResponsesDecodeToTheSameTextBothWays() {
    String expected = Payloads.largeBlockText().repeat(Payloads.LARGE_BLOCKS);
    for (ChatResponse r : List.of(codec.switchboardBedrockLargeResponse(), codec.treeBedrockLargeResponse())) {
      assertThat(r.text()).isEqualTo(expected);
      assertThat(r.usage().outputTokens()).isEqualTo(71);
    }
  }

  @Test
  void openAiAndAzureStreamsDecodeEveryChunk() throws Exception {
    for (String provider : List.of("openai", "azure")) {
      byte[] sse = provider.equals("openai") ? Payloads.openAiSse() : Payloads.azureSse();
      List<ChatEvent> events = new ArrayList<>();
      ExtraFields filters = AzureCodecAccess.newFilters();
      streams.decodeSse(sse, filters, events::add);
      int deltas = Payloads.textDeltas(provider);
      assertThat(text(events)).isEqualTo(Payloads.streamedText(deltas));
      assertThat(events).hasSize(deltas + 2); // text deltas, usage, finish
      assertThat(events.get(events.size() - 1)).isEqualTo(new ChatEvent.Finish(FinishReason.STOP));
    }
    assertThat(streams.rawOpenAiSse(Blackholes.create())).isEqualTo(Payloads.STREAM_EVENTS);
    assertThat(streams.rawAzureSse(Blackholes.create())).isEqualTo(Payloads.STREAM_EVENTS);
    assertThat(streams.switchboardOpenAiSse(Blackholes.create()).model()).isEqualTo(Payloads.OPENAI_MODEL);
    assertThat(streams.switchboardAzureSse(Blackholes.create())).isInstanceOf(Map.class);
  }

  @Test
  void bedrockStreamDecodesEveryFrame() throws Exception {
    List<ChatEvent> events = new ArrayList<>();
    new BedrockCodecAccess(mapper, "b").readStream(new Buffer().write(Payloads.bedrockEventStream()), "m", 1 << 20,
        events::add);
    assertThat(text(events)).isEqualTo(Payloads.streamedText(Payloads.TEXT_DELTAS));
    assertThat(events).hasSize(Payloads.TEXT_DELTAS + 2);
    assertThat(streams.rawBedrockDecoderOnly(Blackholes.create())).isEqualTo(Payloads.STREAM_EVENTS);
    assertThat(streams.rawBedrockDecoderAndJackson(Blackholes.create())).isEqualTo(Payloads.STREAM_EVENTS);
    assertThat(streams.switchboardBedrockStream(Blackholes.create()).model()).isEqualTo(Payloads.BEDROCK_MODEL);
  }

  @Test
  void baselineChunkReadersSeeTheSameText() {
    TreeCodec tree = new TreeCodec(mapper);
    StringBuilder openAi = new StringBuilder();
    for (String chunk : Payloads.openAiChunks()) {
      String t = tree.openAiChunkText(chunk);
      if (t != null) openAi.append(t);
    }
    assertThat(openAi.toString()).isEqualTo(Payloads.streamedText(Payloads.OPENAI_TEXT_DELTAS));
    StringBuilder bedrock = new StringBuilder();
    for (Payloads.Frame f : Payloads.bedrockFrames()) {
      String t = tree.bedrockPayloadText(f.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (t != null) bedrock.append(t);
    }
    assertThat(bedrock.toString()).isEqualTo(Payloads.streamedText(Payloads.TEXT_DELTAS));
  }

  static String text(List<ChatEvent> events) {
    StringBuilder b = new StringBuilder();
    for (ChatEvent e : events) {
      if (e instanceof ChatEvent.TextDelta d) b.append(d.text());
    }
    return b.toString();
  }
}
