package dev.switchboard.routing;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Deployment;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.Message;
import dev.switchboard.ContentPart;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Target;
import dev.switchboard.ToolDefinition;
import dev.switchboard.Usage;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.testing.MockProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Targets that cannot serve a request are skipped up front, with a warning and a trace entry. */
class SkippingTest {
  private final Harness h = new Harness();

  @Test
  void capabilityMismatchIsSkippedWithAWarning() {
    MockProvider noTools = h.mock().capabilities(new Capabilities(true, false, true, true, true, false)).otherwiseReply("unused");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", noTools).deployment("b", b).model(alias("chat", "a", "b")).build()) {
      ChatRequest withTools = ChatRequest.builder("chat").user("weather?").tool(ToolDefinition.of("weather", "gets weather")).build();
      ChatResponse r = h.await(sb.chatAsync(withTools));
      assertThat(outcomes(r)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(r.attempts().get(0).note()).contains("does not support tools");
      assertThat(r.warnings()).containsExactly("skipped target a(mock:m-a): does not support tools");
      noTools.assertCallCount(0);

      ChatResponse plain = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(plain)).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void targetsThatCannotReadDocumentsAreSkippedUpFront() {
    // Bedrock's capabilities: documents as bytes, but no provider file ids.
    MockProvider bytesOnly = h.mock().capabilities(new Capabilities(true, true, true, false, true, true, true, false))
        .otherwiseReply("from bytes-only");
    MockProvider noDocuments = h.mock().capabilities(new Capabilities(true, true, true, true, true, true)).otherwiseReply("unused");
    MockProvider all = h.mock().otherwiseReply("from all");
    try (Switchboard sb = h.builder().deployment("a", noDocuments).deployment("b", bytesOnly).deployment("c", all)
        .model(alias("chat", "a", "b", "c")).build()) {
      ChatRequest pdf = ChatRequest.builder("chat").message(Message.user(ContentPart.text("Summarise."),
          ContentPart.document(new byte[] {'%', 'P', 'D', 'F'}, "application/pdf", "r.pdf"))).build();
      ChatResponse r = h.await(sb.chatAsync(pdf));
      assertThat(outcomes(r)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(r.warnings()).containsExactly("skipped target a(mock:m-a): does not read documents");
      ChatRequest byId = ChatRequest.builder("chat").message(Message.user(ContentPart.text("Summarise."),
          ContentPart.documentFile("file-abc"))).build();
      ChatResponse r2 = h.await(sb.chatAsync(byId));
      assertThat(outcomes(r2)).containsExactly("a:SKIPPED", "b:SKIPPED", "c:SUCCEEDED");
      assertThat(r2.attempts().get(1).note()).hasValueSatisfying(n ->
          assertThat(n).contains("does not accept documents by provider file id"));
      noDocuments.assertCallCount(0);
    }
  }

  @Test
  void targetsThatCannotReadVideoAreSkippedUpFront() {
    // OpenAI and Azure: everything but video; Bedrock Converse reads it.
    MockProvider noVideo = h.mock().capabilities(Capabilities.ALL.withVideo(false)).otherwiseReply("unused");
    MockProvider video = h.mock().capabilities(new Capabilities(true, true, true, false, true, true, true, false, true))
        .otherwiseReply("from video");
    try (Switchboard sb = h.builder().deployment("a", noVideo).deployment("b", video).model(alias("chat", "a", "b")).build()) {
      ChatRequest clip = ChatRequest.builder("chat").message(Message.user(ContentPart.text("What happens?"),
          ContentPart.video(new byte[] {0, 0, 0, 24}, "video/mp4"))).build();
      ChatResponse r = h.await(sb.chatAsync(clip));
      assertThat(outcomes(r)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(r.warnings()).containsExactly("skipped target a(mock:m-a): does not read video");
      // A tool result's video (and its images) need the capability as a user's do.
      ChatRequest fromTool = ChatRequest.builder("chat").user("film it")
          .message(AssistantMessage.of("", java.util.List.of(new dev.switchboard.ToolCall("c1", "camera", "{}"))))
          .message(Message.toolResult("c1", ContentPart.videoS3("s3://my-bucket/clip.mov", "video/quicktime")))
          .tool(ToolDefinition.of("camera", "films")).build();
      assertThat(outcomes(h.await(sb.chatAsync(fromTool)))).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      noVideo.assertCallCount(0);
    }
    MockProvider noImages = h.mock().capabilities(new Capabilities(true, true, false, false, true, true)).otherwiseReply("unused");
    MockProvider all = h.mock().otherwiseReply("from all");
    try (Switchboard sb = h.builder().deployment("a", noImages).deployment("b", all).model(alias("chat", "a", "b")).build()) {
      ChatRequest imageFromTool = ChatRequest.builder("chat").user("look")
          .message(AssistantMessage.of("", java.util.List.of(new dev.switchboard.ToolCall("c1", "snap", "{}"))))
          .message(Message.toolResult("c1", ContentPart.image(new byte[] {1}, "image/png")))
          .tool(ToolDefinition.of("snap", "photo")).build();
      ChatResponse r = h.await(sb.chatAsync(imageFromTool));
      assertThat(outcomes(r)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(r.warnings()).containsExactly("skipped target a(mock:m-a): does not support images");
    }
  }

  @Test
  void capabilityMismatchOnEveryTargetIsAnInvalidRequest() {
    MockProvider a = h.mock().capabilities(new Capabilities(true, false, true, true, true, false));
    try (Switchboard sb = h.builder().deployment("a", a).model(alias("chat", "a")).build()) {
      ChatRequest withTools = ChatRequest.builder("chat").user("x").tool(ToolDefinition.of("t", "d")).build();
      SwitchboardException e = h.failure(sb.chatAsync(withTools));
      assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
      assertThat(e.getMessage()).contains("does not support tools");
    }
  }

  @Test
  void contextWindowSmallerThanTheEstimatedRequestIsSkipped() {
    MockProvider small = h.mock().otherwiseReply("unused");
    MockProvider large = h.mock().otherwiseReply("from large");
    ModelAlias alias = ModelAlias.builder("chat")
        .target(Target.of("small", "m").withPriority(0).withContextWindow(1_000))
        .target(Target.of("large", "m").withPriority(1).withContextWindow(100_000)).build();
    try (Switchboard sb = h.builder().deployment("small", small).deployment("large", large).model(alias).build()) {
      // 8,000 characters ≈ 2,000 tokens at 4 characters per token.
      ChatResponse r = h.await(sb.chatAsync(ChatRequest.of("chat", "x".repeat(8_000))));
      assertThat(outcomes(r)).containsExactly("small:SKIPPED", "large:SUCCEEDED");
      assertThat(r.attempts().get(0).note()).hasValueSatisfying(n ->
          assertThat(n).contains("context window of 1000 tokens is smaller than the request (~2004 tokens estimated)"));
      // maxTokens counts too: 3,000 characters ≈ 754 tokens + 500 > 1,000.
      ChatResponse withMax = h.await(sb.chatAsync(ChatRequest.builder("chat").user("x".repeat(3_000)).maxTokens(500).build()));
      assertThat(outcomes(withMax)).containsExactly("small:SKIPPED", "large:SUCCEEDED");
      ChatResponse fits = h.await(sb.chatAsync(ChatRequest.of("chat", "x".repeat(3_000))));
      assertThat(outcomes(fits)).containsExactly("small:SUCCEEDED");
    }
  }

  @Test
  void quotaKnownExhaustedFromRateLimitHeadersIsSkippedUntilItsReset() {
    RateLimitInfo none = new RateLimitInfo(OptionalLong.of(100), OptionalLong.of(0), Optional.of(Duration.ofSeconds(30)),
        OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    MockProvider a = h.mock().thenReply(ChatResponse.builder().message(AssistantMessage.of("last one")).rateLimit(none))
        .otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b")).build()) {
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      ChatResponse r = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(r)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(r.attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("quota exhausted"));
      h.time.advance(Duration.ofSeconds(30));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void quotaExceededErrorMarksTheQuotaExhaustedForItsRetryAfter() {
    MockProvider a = h.mock().thenFail(MockProvider.error(ErrorKind.QUOTA_EXCEEDED).toBuilder().retryAfter(Duration.ofSeconds(90)).build())
        .otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b")).build()) {
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:FAILED", "b:SUCCEEDED");
      h.time.advance(Duration.ofSeconds(89));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      h.time.advance(Duration.ofSeconds(1));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void configuredLimitsAreCountedLocallyOverASlidingMinute() {
    MockProvider a = h.mock().otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder()
        .deployment(Deployment.builder("a", "mock").limits(TargetLimits.requestsPerMinute(2)).build(), a)
        .deployment("b", b).model(alias("chat", "a", "b")).build()) {
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      h.time.advance(Duration.ofSeconds(10));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
      ChatResponse third = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(third)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(third.attempts().get(0).note()).contains("quota exhausted: no requests left in the current window");
      h.time.advance(Duration.ofSeconds(60));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void tokenLimitSkipsARequestTooLargeForWhatIsLeft() {
    MockProvider a = h.mock().thenReply(ChatResponse.builder().message(AssistantMessage.of("long")).usage(Usage.of(600, 100)))
        .otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder()
        .deployment(Deployment.builder("a", "mock").limits(TargetLimits.tokensPerMinute(1_000)).build(), a)
        .deployment("b", b).model(alias("chat", "a", "b")).build()) {
      // ~504 tokens estimated when sent, corrected to the 700 reported: 300 left this minute.
      assertThat(outcomes(h.await(sb.chatAsync(ChatRequest.of("chat", "y".repeat(2_000)))))).containsExactly("a:SUCCEEDED");
      ChatResponse r = h.await(sb.chatAsync(ChatRequest.of("chat", "y".repeat(2_000))));
      assertThat(outcomes(r)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(r.attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("tokens left"));
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void estimatorCountsAboutFourCharactersPerToken() {
    assertThat(TokenEstimator.estimateInput(ChatRequest.of("m", "x".repeat(400)))).isEqualTo(100 + TokenEstimator.TOKENS_PER_MESSAGE);
    ChatRequest withImage = ChatRequest.builder("m").message(dev.switchboard.Message.user(dev.switchboard.ContentPart.text("abcd"),
        dev.switchboard.ContentPart.imageUrl("https://example.com/a.png"))).build();
    assertThat(TokenEstimator.estimateInput(withImage)).isEqualTo(1 + TokenEstimator.TOKENS_PER_MESSAGE + TokenEstimator.TOKENS_PER_IMAGE);
    assertThat(Usage.of(1, 1).totalTokens()).isEqualTo(2);
  }
}
