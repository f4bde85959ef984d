package dev.switchboard.aws;

/**
 * Keys of the Bedrock-specific values a {@code ChatResponse} carries in its metadata, read with
 * {@code response.metadata(key, type)}.
 */
public final class BedrockMetadata {
  /** The model's reasoning text ({@code reasoningContent.reasoningText}), a {@code String}. */
  public static final String REASONING = "bedrock.reasoning";
  /** The signature of the reasoning, needed to send it back to Anthropic models, a {@code String}. */
  public static final String REASONING_SIGNATURE = "bedrock.reasoningSignature";
  /** Encrypted (redacted) reasoning blocks, base64, a {@code List<String>}. */
  public static final String REDACTED_REASONING = "bedrock.redactedReasoning";
  /** Bedrock's {@code metrics.latencyMs}, a {@code Long}. */
  public static final String LATENCY_MS = "bedrock.latencyMs";
  /** Bedrock's own {@code stopReason}, a {@code String}. */
  public static final String STOP_REASON = "bedrock.stopReason";

  private BedrockMetadata() {}
}
