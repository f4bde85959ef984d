package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatRequest;
import dev.switchboard.ReasoningSettings;
import dev.switchboard.ReasoningSettings.Effort;
import dev.switchboard.ReasoningSettings.Summary;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolDefinition;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Typed reasoning settings, {@code topK} and {@code parallelToolCalls} on the two OpenAI wires:
 * Chat Completions ({@code reasoning_effort}, {@code parallel_tool_calls}) and the Responses API
 * ({@code reasoning.effort}/{@code summary}). What a wire has no field for is a warning. Every body
 * is checked against the OpenAI OpenAPI spec.
 */
class ReasoningAndSamplingTest {
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());
  private final ResponsesWire responses = new ResponsesWire(ProviderTestKit.objectMapper());
  private static final OpenAiCodec.Options OPTIONS = OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS);

  private ChatWire.Encoded chat(ChatRequest r) {
    ChatWire.Encoded e = codec.encode(ProviderRequest.from(r), "o4-mini", OPTIONS);
    OpenAiRequestSchema.assertValidChatRequest(e.body());
    return e;
  }

  private ChatWire.Encoded responses(ChatRequest r) {
    ChatWire.Encoded e = responses.encode(ProviderRequest.from(r), "o4-mini", OPTIONS);
    OpenAiRequestSchema.assertValidResponsesRequest(e.body());
    return e;
  }

  private static JsonNode tree(ChatWire.Encoded e) throws IOException {
    return ProviderTestKit.objectMapper().readTree(e.body());
  }

  private static ChatRequest.Builder base() {
    return ChatRequest.builder("a").user("What is 6 x 7?");
  }

  @Test
  void effortIsReasoningEffortOnChatCompletions() throws IOException {
    ChatWire.Encoded e = chat(base().reasoning(ReasoningSettings.effort(Effort.MINIMAL)).build());
    assertThat(tree(e).get("reasoning_effort").asText()).isEqualTo("minimal");
    assertThat(e.warnings()).isEmpty();
  }

  @Test
  void budgetAndSummaryHaveNoChatCompletionsFieldAndWarn() throws IOException {
    ChatWire.Encoded e = chat(base().reasoning(ReasoningSettings.budget(4096).withSummary(Summary.AUTO)).topK(20).build());
    JsonNode b = tree(e);
    assertThat(b.has("reasoning_effort")).isFalse();
    assertThat(b.has("top_k")).isFalse();
    assertThat(e.warnings()).hasSize(3).anyMatch(w -> w.contains("budget of 4096 tokens"))
        .anyMatch(w -> w.contains("reasoning summary")).anyMatch(w -> w.contains("topK"));
  }

  @Test
  void parallelToolCallsIsSentOnlyWithTools() throws IOException {
    JsonNode with = tree(chat(base().tool(ToolDefinition.of("calc", "Multiplies")).parallelToolCalls(false).build()));
    assertThat(with.get("parallel_tool_calls").asBoolean(true)).isFalse();
    JsonNode without = tree(chat(base().parallelToolCalls(false).build()));
    assertThat(without.has("parallel_tool_calls")).isFalse();
    JsonNode r = tree(responses(base().tool(ToolDefinition.of("calc", "Multiplies")).parallelToolCalls(true).build()));
    assertThat(r.get("parallel_tool_calls").asBoolean(false)).isTrue();
  }

  @Test
  void aTypedSettingAndTheSameProviderOptionConflict() {
    ChatRequest r = base().reasoning(ReasoningSettings.effort(Effort.LOW)).build();
    OpenAiCodec.Options withOption = OPTIONS.withExtraFields(java.util.Map.of("reasoning_effort", "high"));
    assertThatThrownBy(() -> codec.encode(ProviderRequest.from(r), "o4-mini", withOption)).isInstanceOf(SwitchboardException.class)
        .hasMessageContaining("'reasoning_effort' conflicts");
  }

  @Test
  void effortAndSummaryAreTheResponsesReasoningObject() throws IOException {
    ChatWire.Encoded e = responses(base().reasoning(ReasoningSettings.effort(Effort.HIGH).withSummary(Summary.DETAILED)).build());
    assertThat(tree(e).get("reasoning")).isEqualTo(ProviderTestKit.objectMapper().readTree("{\"effort\":\"high\",\"summary\":\"detailed\"}"));
    assertThat(e.warnings()).isEmpty();
    ChatWire.Encoded budget = responses(base().reasoning(ReasoningSettings.budget(2048)).topK(5).build());
    assertThat(tree(budget).has("reasoning")).isFalse();
    assertThat(budget.warnings()).anyMatch(w -> w.contains("budget of 2048")).anyMatch(w -> w.contains("topK"));
  }
}
