package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.aws.testing.RecordingListener;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConverseWireTest extends BedrockTestBase {
  static final String TEXT_REPLY = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi there\"}]}},"
      + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":7,\"outputTokens\":3,\"totalTokens\":10},\"metrics\":{\"latencyMs\":268}}";

  @Test
  void textReplyIsSignedAndMapped() {
    wm.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withHeader("x-amzn-RequestId", "req-1").withBody(TEXT_REPLY)));
    ChatResponse r = chat(hello());
    assertThat(r.text()).isEqualTo("Hi there");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().inputTokens()).isEqualTo(7);
    assertThat(r.requestId()).contains("req-1");
    assertThat(r.metadata(BedrockMetadata.LATENCY_MS, Long.class)).contains(268L);
    LoggedRequest sent = requests().get(0);
    assertThat(sent.getUrl()).isEqualTo("/model/us.amazon.nova-micro-v1%3A0/converse");
    assertThat(sent.getHeader("Content-Type")).isEqualTo("application/json");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f",
      "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "a/../../b?x=1#frag %20 ü",
      "..x", "%2e%2e"})
  void modelIdIsOneEncodedPathSegment(String model) {
    wm.stubFor(post(urlPathMatching("/model/[^/]+/converse")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(TEXT_REPLY)));
    assertThat(chat(hello(), model).text()).isEqualTo("Hi there");
    LoggedRequest sent = requests().get(0);
    String path = sent.getUrl();
    assertThat(path).startsWith("/model/").endsWith("/converse").doesNotContain("?").doesNotContain("#");
    String segment = path.substring("/model/".length(), path.length() - "/converse".length());
    assertThat(segment).doesNotContain("/");
    assertThat(java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(model);
  }

  @Test
  void streamIsSignedAndMapped() {
    wm.stubFor(post(urlPathMatching("/model/.*/converse-stream")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/vnd.amazon.eventstream").withBody(Frames.create().helloWorld().bytes())));
    RecordingListener l = stream(hello());
    assertThat(l.awaitComplete().metadata()).containsEntry(BedrockMetadata.LATENCY_MS, 42L);
    assertThat(l.events).hasSize(4);
    assertThat(requests().get(0).getUrl()).isEqualTo("/model/us.amazon.nova-micro-v1%3A0/converse-stream");
  }
}
