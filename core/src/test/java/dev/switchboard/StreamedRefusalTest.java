package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.internal.StreamAccumulator;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refusal deltas add up to the final response's {@link AssistantMessage#refusal()}, and a restart forgets them. */
class StreamedRefusalTest {
  private static final TargetRef T = new TargetRef("a", "mock", "m");

  @Test
  void refusalDeltasBecomeTheFinalMessagesRefusal() {
    MockProvider a = MockProvider.create().thenStream(StreamScript.builder().refusal("I can't ").refusal("do that.")
        .usage(4, 3).finish(FinishReason.STOP).build());
    try (Switchboard sb = Switchboard.builder().deployment("a", a).model(ModelAlias.builder("chat").target("a", "m").build()).build();
        ChatStream s = sb.stream(ChatRequest.of("chat", "hi"))) {
      List<ChatEvent> events = new ArrayList<>();
      s.forEach(events::add);
      assertThat(events).startsWith(new ChatEvent.RefusalDelta("I can't "), new ChatEvent.RefusalDelta("do that."));
      ChatResponse r = s.response().join();
      assertThat(r.message().refusal()).contains("I can't do that.");
      assertThat(r.text()).isEmpty();
    }
  }

  @Test
  void anAnswerWithoutRefusalDeltasHasNoRefusal() {
    StreamAccumulator acc = new StreamAccumulator();
    acc.accept(new ChatEvent.TextDelta("fine"));
    assertThat(acc.response(T, ResponseMetadata.EMPTY).message().refusal()).isEmpty();
  }

  @Test
  void aResetForgetsTheRefusalOfTheBrokenAttempt() {
    StreamAccumulator acc = new StreamAccumulator();
    acc.accept(new ChatEvent.RefusalDelta("I can"));
    acc.accept(new ChatEvent.Reset(T, ErrorKind.NETWORK));
    acc.accept(new ChatEvent.TextDelta("Sure."));
    ChatResponse r = acc.response(T, ResponseMetadata.EMPTY);
    assertThat(r.message().refusal()).isEmpty();
    assertThat(r.text()).isEqualTo("Sure.");
  }
}
