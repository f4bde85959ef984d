package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.TargetRef;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.aws.testing.RecordedStreams;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.spi.ResponseMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Bedrock's {@code stopReason} reaches {@link ChatResponse#rawFinishReason()} exactly as sent,
 * streamed and not, including values {@link FinishReason} has no name for.
 */
class RawFinishReasonTest extends BedrockTestBase {
  static Stream<RecordedStreams.Recorded> recordings() {
    return RecordedStreams.all().stream();
  }

  /** Every recorded ConverseStream: the final response's raw reason is the recorded messageStop's stopReason. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("recordings")
  void recordedStreamsCarryTheirStopReason(RecordedStreams.Recorded recorded) throws Exception {
    List<Message> frames = new ArrayList<>();
    new MessageDecoder(frames::add).feed(recorded.body());
    String stopReason = null;
    for (Message f : frames) {
      if ("messageStop".equals(f.getHeaders().get(":event-type").getString())) {
        JsonNode p = ProviderTestKit.objectMapper().readTree(new String(f.getPayload(), StandardCharsets.UTF_8));
        stopReason = p.path("stopReason").asText();
      }
    }
    ConverseStreamMapper mapper = new ConverseStreamMapper(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "replay"),
        Optional.empty(), List.of(), "req");
    EventStreamReader reader = new EventStreamReader(new Buffer().write(recorded.body()), 1024 * 1024);
    StreamCollector acc = new StreamCollector();
    Message m;
    while ((m = reader.next()) != null) mapper.accept(m, acc::accept);
    ResponseMetadata meta = mapper.metadata("m", List.of());
    ChatResponse r = acc.response(new TargetRef("replay", "bedrock", "m"), meta);
    assertThat(r.rawFinishReason()).isEqualTo(Optional.ofNullable(stopReason));
  }

  @Test
  void anUnknownStopReasonIsOtherAndKeptRaw() {
    wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(
            "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi\"}]}},"
                + "\"stopReason\":\"some_future_reason\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2}}")));
    ChatResponse r = chat(hello());
    assertThat(r.finishReason()).isEqualTo(FinishReason.OTHER);
    assertThat(r.rawFinishReason()).contains("some_future_reason");
  }

  @Test
  void aStreamedStopReasonFoldedIntoLengthIsKeptRaw() {
    byte[] body = Frames.create().event("messageStart", "{\"role\":\"assistant\"}")
        .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}")
        .event("contentBlockStop", "{\"contentBlockIndex\":0}")
        .event("messageStop", "{\"stopReason\":\"model_context_window_exceeded\"}")
        .event("metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":2,\"totalTokens\":5}}").bytes();
    wm.stubFor(post(urlPathMatching("/model/.*/converse-stream")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(body)));
    RecordingListener l = stream(hello());
    ResponseMetadata meta = l.awaitComplete();
    StreamCollector acc = new StreamCollector();
    l.events.forEach(acc::accept);
    ChatResponse r = acc.response(new TargetRef("bedrock-test", "bedrock", MODEL), meta);
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.rawFinishReason()).contains("model_context_window_exceeded");
  }
}
