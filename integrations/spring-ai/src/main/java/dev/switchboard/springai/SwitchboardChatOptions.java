package dev.switchboard.springai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI chat options for a {@link SwitchboardChatModel}: the portable {@link ChatOptions}
 * (temperature, max tokens, top-p, stop sequences, ...), tool callbacks and tool context
 * ({@link ToolCallingChatOptions}, what {@code ChatClient.tools(...)} fills), a JSON schema for
 * native structured output ({@link StructuredOutputChatOptions}), and two Switchboard settings:
 * the call's whole deadline and a seed.
 *
 * <p>{@link #getModel() model} names the Switchboard model alias; it defaults to the alias the
 * chat model was built for. Top-k and the two penalties have no Switchboard field: they go into
 * the provider namespaces that understand them (see {@link SwitchboardChatModel}).
 */
public final class SwitchboardChatOptions extends DefaultToolCallingChatOptions implements StructuredOutputChatOptions {
  private final @Nullable String outputSchema;
  private final @Nullable Duration timeout;
  private final @Nullable Long seed;

  private SwitchboardChatOptions(Builder b, @Nullable List<ToolCallback> toolCallbacks, @Nullable Map<String, Object> toolContext,
      @Nullable String model, @Nullable Double frequencyPenalty, @Nullable Integer maxTokens, @Nullable Double presencePenalty,
      @Nullable List<String> stopSequences, @Nullable Double temperature, @Nullable Integer topK, @Nullable Double topP) {
    super(toolCallbacks, toolContext, model, frequencyPenalty, maxTokens, presencePenalty, stopSequences, temperature, topK, topP);
    this.outputSchema = b.outputSchema;
    this.timeout = b.timeout;
    this.seed = b.seed;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The JSON schema the answer must follow; set by {@code ChatClient} for native structured output. */
  @Override
  public @Nullable String getOutputSchema() {
    return outputSchema;
  }

  /** The whole call's deadline, retries and failover included; the switchboard's default when null. */
  public @Nullable Duration getTimeout() {
    return timeout;
  }

  public @Nullable Long getSeed() {
    return seed;
  }

  @Override
  public Builder mutate() {
    Builder b = new Builder()
        .model(getModel())
        .frequencyPenalty(getFrequencyPenalty())
        .maxTokens(getMaxTokens())
        .presencePenalty(getPresencePenalty())
        .stopSequences(getStopSequences())
        .temperature(getTemperature())
        .topK(getTopK())
        .topP(getTopP())
        .toolCallbacks(getToolCallbacks())
        .toolContext(getToolContext())
        .outputSchema(outputSchema)
        .seed(seed);
    b.timeout = timeout;
    return b;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SwitchboardChatOptions that && super.equals(o) && Objects.equals(outputSchema, that.outputSchema)
        && Objects.equals(timeout, that.timeout) && Objects.equals(seed, that.seed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), outputSchema, timeout, seed);
  }

  @Override
  public String toString() {
    return "SwitchboardChatOptions[model=" + getModel() + ", temperature=" + getTemperature() + ", maxTokens="
        + getMaxTokens() + ", tools=" + (getToolCallbacks() == null ? 0 : getToolCallbacks().size())
        + ", outputSchema=" + (outputSchema != null) + "]";
  }

  /** Builds {@link SwitchboardChatOptions}; also what {@code ChatClient} merges per-call options into. */
  public static final class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
      implements StructuredOutputChatOptions.Builder<Builder> {
    private @Nullable String outputSchema;
    private @Nullable Duration timeout;
    private @Nullable Long seed;

    private Builder() {}

    @Override
    public Builder outputSchema(@Nullable String outputSchema) {
      this.outputSchema = outputSchema;
      return this;
    }

    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
      this.timeout = timeout;
      return this;
    }

    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    @Override
    public Builder combineWith(ChatOptions.Builder<?> other) {
      super.combineWith(other);
      if (other instanceof Builder that) {
        if (that.outputSchema != null) outputSchema = that.outputSchema;
        if (that.timeout != null) timeout = that.timeout;
        if (that.seed != null) seed = that.seed;
      } else if (other instanceof StructuredOutputChatOptions.Builder<?>
          && other.build() instanceof StructuredOutputChatOptions s && s.getOutputSchema() != null) {
        outputSchema = s.getOutputSchema();
      }
      return this;
    }

    @Override
    public SwitchboardChatOptions build() {
      return new SwitchboardChatOptions(this, toolCallbacks, toolContext, model, frequencyPenalty, maxTokens,
          presencePenalty, stopSequences, temperature, topK, topP);
    }
  }
}
