package dev.switchboard.aws;

import dev.switchboard.Deployment;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which wire a {@code bedrock} deployment speaks, setting {@code api}: {@link #CONVERSE} (the
 * default) or {@link #OPENAI_CHAT}, Bedrock's OpenAI-compatible Chat Completions endpoint.
 * Bedrock's OpenAI-compatible Responses endpoint is not offered: it serves no streams.
 */
enum BedrockApi {
  /** {@code POST /model/{id}/converse} and {@code converse-stream}; embeddings by InvokeModel. */
  CONVERSE("converse"),
  /** {@code POST /openai/v1/chat/completions}, the model id in the body; no embeddings. */
  OPENAI_CHAT("openai-chat");

  static final String SETTING = "api";

  final String setting;

  BedrockApi(String setting) {
    this.setting = setting;
  }

  /** The deployment's {@code api}, {@link #CONVERSE} when absent; an unknown value names the allowed ones. */
  static BedrockApi of(Deployment d) {
    return d.setting(SETTING).map(value -> {
      String v = value.trim().toLowerCase(Locale.ROOT);
      for (BedrockApi api : values()) {
        if (api.setting.equals(v)) return api;
      }
      throw new IllegalArgumentException("deployments." + d.name() + "." + SETTING + ": unknown bedrock api '" + value
          + "' (allowed: " + Arrays.stream(values()).map(a -> a.setting).collect(Collectors.joining(", ")) + ")");
    }).orElse(CONVERSE);
  }
}
