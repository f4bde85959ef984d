package dev.switchboard.aws;

import dev.switchboard.Deployment;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which wire a {@code bedrock} deployment speaks, setting {@code api}: {@link #CONVERSE} (the
 * default), {@link #OPENAI_CHAT}, Bedrock's OpenAI-compatible Chat Completions endpoint, or
 * {@link #RESPONSES}, its OpenAI-compatible Responses endpoint.
 */
enum BedrockApi {
  /** {@code POST /model/{id}/converse} and {@code converse-stream}; embeddings by InvokeModel. */
  CONVERSE("converse", "", true),
  /** {@code POST /openai/v1/chat/completions}, the model id in the body; no embeddings. */
  OPENAI_CHAT("openai-chat", "openai/v1/chat/completions", true),
  /**
   * {@code POST /openai/v1/responses}, the model id in the body; no embeddings, and no streams:
   * the bedrock-runtime host serves the Responses API synchronously only, so the deployment says
   * it cannot stream and routing skips it for streamed calls (skip reason CAPABILITY).
   */
  RESPONSES("responses", "openai/v1/responses", false);

  static final String SETTING = "api";

  final String setting;
  /** The path under the endpoint for the OpenAI-compatible wires; empty for Converse (the path holds the model id). */
  final String path;
  final boolean streams;

  BedrockApi(String setting, String path, boolean streams) {
    this.setting = setting;
    this.path = path;
    this.streams = streams;
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
