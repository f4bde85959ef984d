package dev.switchboard;

/** Why the model stopped generating. */
public enum FinishReason {
  /** A natural end or a stop sequence. */
  STOP,
  /** The output hit the token limit. */
  LENGTH,
  /** The model asked for tool calls. */
  TOOL_CALLS,
  /** A content filter or guardrail cut or blocked the output. */
  CONTENT_FILTER,
  /** A reason the provider reported that none of the above describes. */
  OTHER
}
