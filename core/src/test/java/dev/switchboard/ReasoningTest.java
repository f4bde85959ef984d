package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.internal.StreamAccumulator;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@link Reasoning} is validated per wire when built and never prints its text or opaque values;
 * {@link ChatEvent.ReasoningDelta}s add up to the final response's reasoning blocks and count
 * toward the stream size limit.
 */
class ReasoningTest {
  private static final TargetRef T = new TargetRef("a", "mock", "m");
  private static final String SIGNATURE = "EqQBCkgIARABGAIiQL3secretsignature";
  private static final String ENCRYPTED = "gAAAAABpM0Yj-encrypted-blob=";

  @Test
  void eachWireAcceptsItsOwnFieldsOnly() {
    assertThat(Reasoning.builder(Reasoning.Wire.CONVERSE).text("think").signature(SIGNATURE).build().signature()).contains(SIGNATURE);
    assertThat(Reasoning.builder(Reasoning.Wire.CONVERSE).encryptedContent("AAEC").build().isRedacted()).isTrue();
    assertThat(Reasoning.builder(Reasoning.Wire.RESPONSES).id("rs_1").summary("a").summary("b").encryptedContent(ENCRYPTED).build()
        .readableText()).isEqualTo("a\n\nb");
    assertThat(Reasoning.builder(Reasoning.Wire.RESPONSES).id("rs_1").build().summary()).isEmpty();
    assertThat(Reasoning.text(Reasoning.Wire.CHAT_COMPLETIONS, "hmm").readableText()).isEqualTo("hmm");

    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.CONVERSE).text("t").encryptedContent("AAEC").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either text");
    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.CONVERSE).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no text, signature or redacted content");
    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.RESPONSES).summary("s").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs its id");
    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.CHAT_COMPLETIONS).text("t").signature("s").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature is a Bedrock Converse field");
    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.CONVERSE).text("t").id("rs_1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id is a Responses API field");
    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.CONVERSE).text("t").summary("s").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("summary is a Responses API field");
    assertThatThrownBy(() -> Reasoning.text(Reasoning.Wire.CHAT_COMPLETIONS, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text is empty");
    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.RESPONSES).id(" ").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id is blank");
    assertThatThrownBy(() -> Reasoning.builder(Reasoning.Wire.CONVERSE).text("t").signature("").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature is blank");
  }

  @Test
  void toStringPrintsLengthsNotTextSignaturesOrEncryptedContent() {
    Reasoning r = Reasoning.builder(Reasoning.Wire.CONVERSE).text("my private thoughts").signature(SIGNATURE).build();
    Reasoning e = Reasoning.builder(Reasoning.Wire.RESPONSES).id("rs_1").summary("summary words").encryptedContent(ENCRYPTED).build();
    AssistantMessage m = AssistantMessage.of("answer").withReasoning(List.of(r, e));
    for (String s : List.of(r.toString(), e.toString(), m.toString(),
        new ChatEvent.ReasoningDelta(0, Reasoning.Wire.CONVERSE, "my private", OptionalInt.empty(), Optional.empty(),
            Optional.of(SIGNATURE), Optional.of(ENCRYPTED)).toString())) {
      assertThat(s).doesNotContain(SIGNATURE).doesNotContain(ENCRYPTED).doesNotContain("private").doesNotContain("summary words");
    }
    assertThat(r.toString()).contains("signature=" + SIGNATURE.length() + " chars").contains("text=19 chars");
    assertThat(e.toString()).contains("encryptedContent=" + ENCRYPTED.length() + " chars").contains("id=rs_1");
  }

  @Test
  void deltasOfEachIndexAddUpToOneBlockInIndexOrder() {
    StreamAccumulator acc = new StreamAccumulator();
    acc.accept(new ChatEvent.ReasoningDelta(1, Reasoning.Wire.RESPONSES, "", OptionalInt.empty(), Optional.of("rs_2"),
        Optional.empty(), Optional.empty()));
    acc.accept(ChatEvent.ReasoningDelta.text(0, Reasoning.Wire.CONVERSE, "Let me "));
    acc.accept(ChatEvent.ReasoningDelta.summary(1, 0, "First "));
    acc.accept(ChatEvent.ReasoningDelta.text(0, Reasoning.Wire.CONVERSE, "think."));
    acc.accept(ChatEvent.ReasoningDelta.summary(1, 0, "part."));
    acc.accept(ChatEvent.ReasoningDelta.summary(1, 1, "Second."));
    acc.accept(new ChatEvent.ReasoningDelta(0, Reasoning.Wire.CONVERSE, "", OptionalInt.empty(), Optional.empty(),
        Optional.of(SIGNATURE), Optional.empty()));
    acc.accept(new ChatEvent.ReasoningDelta(1, Reasoning.Wire.RESPONSES, "", OptionalInt.empty(), Optional.empty(),
        Optional.empty(), Optional.of(ENCRYPTED)));
    acc.accept(new ChatEvent.TextDelta("Answer."));
    ChatResponse r = acc.response(T, ResponseMetadata.EMPTY);
    assertThat(r.message().reasoning()).containsExactly(
        Reasoning.builder(Reasoning.Wire.CONVERSE).text("Let me think.").signature(SIGNATURE).build(),
        Reasoning.builder(Reasoning.Wire.RESPONSES).id("rs_2").summary("First part.").summary("Second.").encryptedContent(ENCRYPTED).build());
    assertThat(r.text()).isEqualTo("Answer.");
    long expected = "Let me think.".length() + SIGNATURE.length() + "rs_2".length() + "First part.Second.".length()
        + ENCRYPTED.length() + "Answer.".length();
    assertThat(acc.bytes()).as("reasoning counts toward the bytes held").isEqualTo(expected);

    acc.accept(new ChatEvent.Reset(T, ErrorKind.NETWORK));
    assertThat(acc.response(T, ResponseMetadata.EMPTY).message().reasoning()).isEmpty();
    assertThat(acc.bytes()).isZero();
  }

  @Test
  void reasoningDeltasCountTowardTheStreamSizeLimit() throws Exception {
    // 10 reasoning deltas of 1,000 bytes against a 4,096-byte limit: before, reasoning was not counted and all passed.
    StreamScript.Builder script = StreamScript.builder();
    for (int i = 0; i < 10; i++) script.event(ChatEvent.ReasoningDelta.text(0, Reasoning.Wire.CHAT_COMPLETIONS, "r".repeat(1000)));
    MockProvider a = MockProvider.create().thenStream(script.text("done").finish(FinishReason.STOP).build());
    try (Switchboard sb = Switchboard.builder().http(HttpSettings.DEFAULTS.withMaxStreamBytes(4096)).deployment("a", a)
        .model(ModelAlias.builder("chat").target("a", "m").build()).build();
        ChatStream s = sb.stream(ChatRequest.of("chat", "hi"))) {
      List<ChatEvent> events = new ArrayList<>();
      assertThatThrownBy(() -> s.forEach(events::add)).isInstanceOf(SwitchboardException.class)
          .hasMessageContaining("size limit of 4096 bytes");
      assertThat(events).hasSize(4).allMatch(ChatEvent.ReasoningDelta.class::isInstance);
    }
  }

  @Test
  void aStreamedAnswersReasoningIsOnTheFinalResponse() {
    MockProvider a = MockProvider.create().thenStream(StreamScript.builder()
        .event(ChatEvent.ReasoningDelta.text(0, Reasoning.Wire.CHAT_COMPLETIONS, "Think"))
        .event(ChatEvent.ReasoningDelta.text(0, Reasoning.Wire.CHAT_COMPLETIONS, "ing."))
        .text("Hi").finish(FinishReason.STOP).build());
    try (Switchboard sb = Switchboard.builder().deployment("a", a).model(ModelAlias.builder("chat").target("a", "m").build()).build();
        ChatStream s = sb.stream(ChatRequest.of("chat", "hi"))) {
      s.forEach(e -> { });
      ChatResponse r = s.response().join();
      assertThat(r.message().reasoning()).containsExactly(Reasoning.text(Reasoning.Wire.CHAT_COMPLETIONS, "Thinking."));
      assertThat(r.text()).isEqualTo("Hi");
    }
  }
}
