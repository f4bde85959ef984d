package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ReasoningSettings.Effort;
import dev.switchboard.ReasoningSettings.Summary;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReasoningSettingsTest {
  @Test
  void factoriesAndWithers() {
    ReasoningSettings r = ReasoningSettings.effort(Effort.HIGH).withSummary(Summary.DETAILED);
    assertThat(r.effort()).contains(Effort.HIGH);
    assertThat(r.summary()).contains(Summary.DETAILED);
    assertThat(r.budgetTokens()).isEmpty();
    assertThat(ReasoningSettings.budget(2048).budgetTokens()).isEqualTo(OptionalInt.of(2048));
    assertThat(ReasoningSettings.enabled()).isEqualTo(new ReasoningSettings(Optional.empty(), OptionalInt.empty(), Optional.empty()));
    assertThat(ReasoningSettings.effort(Effort.NONE).isOff()).isTrue();
    assertThat(ReasoningSettings.enabled().isOff()).isFalse();
    assertThat(Effort.XHIGH.wireName()).isEqualTo("xhigh");
    assertThat(Summary.CONCISE.wireName()).isEqualTo("concise");
  }

  @Test
  void badValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> ReasoningSettings.budget(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("budgetTokens 0 must be positive");
    assertThatThrownBy(() -> ReasoningSettings.effort(Effort.NONE).withBudget(1024))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NONE").hasMessageContaining("1024");
    assertThatThrownBy(() -> ReasoningSettings.effort(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theRequestCarriesReasoningTopKAndParallelToolCallsThroughToBuilder() {
    ChatRequest r = ChatRequest.builder("a").user("hi").reasoning(ReasoningSettings.effort(Effort.LOW)).topK(20)
        .parallelToolCalls(false).build();
    ChatRequest copy = r.toBuilder().build();
    assertThat(copy.reasoning()).contains(ReasoningSettings.effort(Effort.LOW));
    assertThat(copy.topK()).isEqualTo(OptionalInt.of(20));
    assertThat(copy.parallelToolCalls()).contains(false);
    assertThat(ChatRequest.of("a", "hi").reasoning()).isEmpty();
    assertThatThrownBy(() -> ChatRequest.builder("a").user("hi").topK(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK 0 must be positive");
  }
}
