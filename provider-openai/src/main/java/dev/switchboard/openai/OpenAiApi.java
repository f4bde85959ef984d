package dev.switchboard.openai;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which OpenAI wire a deployment speaks, setting {@code api}: {@link #CHAT_COMPLETIONS} (the
 * default) or {@link #RESPONSES}. Chat, streams and their errors follow the chosen wire;
 * embeddings are the same either way.
 */
public enum OpenAiApi {
  /** {@code POST …/chat/completions}: {@link OpenAiCodec}. */
  CHAT_COMPLETIONS("chat-completions"),
  /** {@code POST …/responses}: {@link ResponsesWire}. */
  RESPONSES("responses");

  /** The deployment setting's key. */
  public static final String SETTING = "api";

  private final String setting;

  OpenAiApi(String setting) {
    this.setting = setting;
  }

  /** The setting value: {@code chat-completions} or {@code responses}. */
  public String setting() {
    return setting;
  }

  /**
   * The constant for a setting value (case and surrounding blanks ignored).
   *
   * @param where the setting's path for the message, e.g. {@code deployments.main.api}
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static OpenAiApi parse(String value, String where) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (OpenAiApi api : values()) {
      if (api.setting.equals(v)) return api;
    }
    throw new IllegalArgumentException(where + ": unknown api '" + value + "' (allowed: "
        + Arrays.stream(values()).map(OpenAiApi::setting).collect(Collectors.joining(", ")) + ")");
  }
}
