package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MockFailoverTest {

  @Test
  void rateLimitedPrimaryFailsOverToSecondary() {
    MockProvider azure = MockProvider.create().thenFail(ErrorKind.RATE_LIMITED);
    MockProvider bedrock = MockProvider.create().thenReply("hello from bedrock");
    try (Switchboard sb = Switchboard.builder().deployment("azure", azure).deployment("bedrock", bedrock)
        .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build()).build()) {
      ChatResponse r = sb.chat(ChatRequest.of("chat", "hi"));
      assertThat(r.text()).isEqualTo("hello from bedrock");
      assertThat(r.servedBy().deployment()).isEqualTo("bedrock");
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(r.attempts().get(0).errorKind()).contains(ErrorKind.RATE_LIMITED);
    }
  }

  @Test
  void invalidRequestDoesNotFailOver() {
    MockProvider a = MockProvider.create().thenFail(ErrorKind.INVALID_REQUEST);
    MockProvider b = MockProvider.create().thenReply("unused");
    try (Switchboard sb = twoTargets(a, b)) {
      assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
            assertThat(e.attempts()).hasSize(1);
            assertThat(e.getMessage()).contains("INVALID_REQUEST", "HTTP 400", "a(mock:m1) FAILED");
          });
      b.assertCallCount(0);
    }
  }

  @Test
  void allTargetsFailingListsEveryAttempt() {
    // Since the routing issue, transient kinds are retried once on the same target before failing over.
    MockProvider a = MockProvider.create().thenFail(ErrorKind.UNAVAILABLE, 2);
    MockProvider b = MockProvider.create().thenFail(ErrorKind.SERVER_ERROR, 2);
    try (Switchboard sb = twoTargets(a, b)) {
      assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
            assertThat(e.attempts()).extracting(Attempt::errorKind)
                .containsExactly(java.util.Optional.of(ErrorKind.UNAVAILABLE), java.util.Optional.of(ErrorKind.UNAVAILABLE),
                    java.util.Optional.of(ErrorKind.SERVER_ERROR), java.util.Optional.of(ErrorKind.SERVER_ERROR));
            assertThat(e.getMessage()).contains("all targets of model alias 'chat' failed");
          });
    }
  }

  @Test
  void deadlineEndsAHangingCallWithTimeoutAndCancelsIt() {
    VirtualTime time = new VirtualTime();
    MockProvider a = MockProvider.create(time).thenHang();
    try (Switchboard sb = Switchboard.builder().time(time, time).deployment("a", a)
        .model(ModelAlias.builder("chat").target("a", "m").build()).build()) {
      CompletableFuture<ChatResponse> f = sb.chatAsync(ChatRequest.builder("chat").user("hi").timeout(Duration.ofSeconds(5)).build());
      time.advance(Duration.ofSeconds(4));
      assertThat(f).isNotDone();
      time.advance(Duration.ofSeconds(1));
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::join).hasCauseInstanceOf(SwitchboardException.class)
          .cause().satisfies(e -> assertThat(((SwitchboardException) e).kind()).isEqualTo(ErrorKind.TIMEOUT));
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void streamFailsOverBeforeFirstEventInvisibly() {
    // UNAVAILABLE is retried once on the same target, then the stream fails over.
    MockProvider a = MockProvider.create().thenFail(ErrorKind.UNAVAILABLE, 2);
    MockProvider b = MockProvider.create().thenStream(StreamScript.builder().text("Hel").text("lo").usage(3, 2).build());
    try (Switchboard sb = twoTargets(a, b); ChatStream stream = sb.stream(ChatRequest.of("chat", "hi"))) {
      List<ChatEvent> events = new ArrayList<>();
      stream.forEach(events::add);
      assertThat(events).containsExactly(new ChatEvent.TextDelta("Hel"), new ChatEvent.TextDelta("lo"),
          new ChatEvent.UsageUpdate(Usage.of(3, 2)), new ChatEvent.Finish(FinishReason.STOP));
      ChatResponse r = stream.response().join();
      assertThat(r.text()).isEqualTo("Hello");
      assertThat(r.servedBy().deployment()).isEqualTo("b");
      assertThat(r.attempts()).hasSize(3);
    }
  }

  @Test
  void streamBreakingAfterFirstEventCarriesPartialOutput() {
    MockProvider a = MockProvider.create().thenStream(StreamScript.builder().text("partial ").text("answer").fail(ErrorKind.NETWORK));
    MockProvider b = MockProvider.create().thenReply("unused");
    try (Switchboard sb = twoTargets(a, b); ChatStream stream = sb.stream(ChatRequest.of("chat", "hi"))) {
      List<ChatEvent> seen = new ArrayList<>();
      assertThatThrownBy(() -> stream.forEach(seen::add))
          .isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
            assertThat(e.partial().text()).isEqualTo("partial answer");
          });
      assertThat(seen).hasSize(2);
      b.assertCallCount(0);
    }
  }

  private static Switchboard twoTargets(MockProvider a, MockProvider b) {
    return Switchboard.builder().deployment("a", a).deployment("b", b)
        .model(ModelAlias.builder("chat").target("a", "m1").target("b", "m2").build()).build();
  }
}
