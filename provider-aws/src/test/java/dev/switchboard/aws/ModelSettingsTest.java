package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatRequest;
import dev.switchboard.ReasoningSettings;
import dev.switchboard.ReasoningSettings.Effort;
import dev.switchboard.ReasoningSettings.Summary;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolDefinition;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Typed reasoning settings and {@code topK} on Converse, written into
 * {@code additionalModelRequestFields} as each model family reads them (the shapes the recorded
 * Bedrock traffic sends), and warnings where a family has no field.
 */
class ModelSettingsTest {
  private final ConverseRequestWriter writer = new ConverseRequestWriter(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "d"));

  private ConverseRequestWriter.Written write(ChatRequest r, String model) throws IOException {
    ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(r), model);
    JsonNode node = ProviderTestKit.objectMapper().readTree(w.body());
    assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", node)).as("body %s", node).isEmpty();
    return w;
  }

  private JsonNode fields(ChatRequest r, String model) throws IOException {
    return ProviderTestKit.objectMapper().readTree(write(r, model).body()).path("additionalModelRequestFields");
  }

  private static JsonNode json(String s) throws IOException {
    return ProviderTestKit.objectMapper().readTree(s);
  }

  private static ChatRequest.Builder base() {
    return ChatRequest.builder("a").user("What is 6 x 7?");
  }

  @Test
  void familyIsTheProviderSegmentAfterArnAndGeographyPrefix() {
    assertThat(ModelSettings.family("anthropic.claude-3-haiku-20240307-v1:0")).isEqualTo("anthropic");
    assertThat(ModelSettings.family("us.anthropic.claude-sonnet-4-20250514-v1:0")).isEqualTo("anthropic");
    assertThat(ModelSettings.family("global.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo("anthropic");
    assertThat(ModelSettings.family("us.amazon.nova-micro-v1:0")).isEqualTo("amazon");
    assertThat(ModelSettings.family("openai.gpt-oss-120b-1:0")).isEqualTo("openai");
    assertThat(ModelSettings.family("arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0"))
        .isEqualTo("meta");
    assertThat(ModelSettings.family("my-custom-model")).isEmpty();
  }

  @Test
  void anthropicBudgetIsThinkingEnabledAsRecorded() throws IOException {
    // test_bedrock_model_thinking_part_anthropic.yaml sends exactly this.
    assertThat(fields(base().reasoning(ReasoningSettings.budget(1024)).build(), "us.anthropic.claude-sonnet-4-20250514-v1:0"))
        .isEqualTo(json("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}"));
  }

  @Test
  void anthropicEffortIsAdaptiveThinkingWithOutputConfigAsRecorded() throws IOException {
    // test_bedrock_model_thinking_part_anthropic_adaptive*.yaml send these two.
    assertThat(fields(base().reasoning(ReasoningSettings.effort(Effort.HIGH)).build(), "us.anthropic.claude-sonnet-4-6"))
        .isEqualTo(json("{\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"high\"}}"));
    assertThat(fields(base().reasoning(ReasoningSettings.enabled()).build(), "us.anthropic.claude-sonnet-4-6"))
        .isEqualTo(json("{\"thinking\":{\"type\":\"adaptive\"}}"));
    ConverseRequestWriter.Written x = write(base().reasoning(ReasoningSettings.effort(Effort.XHIGH)).build(), "anthropic.claude-x");
    assertThat(ProviderTestKit.objectMapper().readTree(x.body()).at("/additionalModelRequestFields/output_config/effort").asText()).isEqualTo("high");
    assertThat(x.warnings()).anyMatch(w -> w.contains("xhigh") && w.contains("sent high"));
  }

  @Test
  void openAiAndQwenFamiliesAsRecorded() throws IOException {
    assertThat(fields(base().reasoning(ReasoningSettings.effort(Effort.MEDIUM)).build(), "openai.gpt-oss-120b-1:0"))
        .isEqualTo(json("{\"reasoning_effort\":\"medium\"}"));
    assertThat(fields(base().reasoning(ReasoningSettings.enabled()).build(), "qwen.qwen3-32b-v1:0"))
        .isEqualTo(json("{\"reasoning_config\":\"high\"}"));
  }

  @Test
  void effortNoneSendsNothing() throws IOException {
    ConverseRequestWriter.Written w = write(base().reasoning(ReasoningSettings.effort(Effort.NONE)).build(), "us.anthropic.claude-sonnet-4-6");
    assertThat(ProviderTestKit.objectMapper().readTree(w.body()).has("additionalModelRequestFields")).isFalse();
    assertThat(w.warnings()).isEmpty();
  }

  @Test
  void topKByFamilyAsRecorded() throws IOException {
    // test_bedrock_top_k_anthropic_variant.yaml / test_bedrock_top_k_nova_variant.yaml.
    assertThat(fields(base().topK(20).build(), "us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo(json("{\"top_k\":20}"));
    assertThat(fields(base().topK(20).build(), "us.amazon.nova-micro-v1:0")).isEqualTo(json("{\"inferenceConfig\":{\"topK\":20}}"));
    ConverseRequestWriter.Written other = write(base().topK(20).build(), "meta.llama3-8b-instruct-v1:0");
    assertThat(ProviderTestKit.objectMapper().readTree(other.body()).has("additionalModelRequestFields")).isFalse();
    assertThat(other.warnings()).anyMatch(w -> w.contains("topK is not mapped for model 'meta.llama3-8b-instruct-v1:0'"));
  }

  @Test
  void unmappedFamiliesSummariesAndParallelToolCallsWarn() throws IOException {
    ConverseRequestWriter.Written w = write(base().reasoning(ReasoningSettings.effort(Effort.LOW).withSummary(Summary.AUTO))
        .tool(ToolDefinition.of("calc", "Multiplies")).parallelToolCalls(false).build(), "mistral.mistral-large-2402-v1:0");
    assertThat(ProviderTestKit.objectMapper().readTree(w.body()).has("additionalModelRequestFields")).isFalse();
    assertThat(w.warnings()).anyMatch(s -> s.contains("reasoning settings are not mapped"))
        .anyMatch(s -> s.contains("reasoning summary")).anyMatch(s -> s.contains("parallelToolCalls false"));
  }

  @Test
  void aTypedSettingAndTheSameAdditionalFieldConflict() throws IOException {
    ChatRequest r = base().reasoning(ReasoningSettings.budget(1024))
        .providerOption("bedrock", "additionalModelRequestFields", Map.of("thinking", Map.of("type", "disabled"))).build();
    assertThatThrownBy(() -> writer.write(ProviderRequest.from(r), "anthropic.claude-3-7-sonnet-20250219-v1:0")).isInstanceOf(SwitchboardException.class)
        .hasMessageContaining("additionalModelRequestFields.thinking conflicts");
    ChatRequest merged = base().topK(5).providerOption("bedrock", "additionalModelRequestFields", Map.of("anthropic_beta", "x")).build();
    assertThat(fields(merged, "anthropic.claude-3-7-sonnet-20250219-v1:0")).isEqualTo(json("{\"top_k\":5,\"anthropic_beta\":\"x\"}"));
  }
}
