package dev.switchboard.aws;

/**
 * Keys of the Bedrock-specific values a {@code ChatResponse} carries in its metadata, read with
 * {@code response.metadata(key, type)}. The model's reasoning is not metadata: it is on
 * {@code response.message().reasoning()}, where it is sent back when the conversation is replayed.
 */
public final class BedrockMetadata {
  /** Bedrock's {@code metrics.latencyMs}, a {@code Long}. */
  public static final String LATENCY_MS = "bedrock.latencyMs";
  /** Bedrock's own {@code stopReason}, a {@code String}. */
  public static final String STOP_REASON = "bedrock.stopReason";

  private BedrockMetadata() {}
}
