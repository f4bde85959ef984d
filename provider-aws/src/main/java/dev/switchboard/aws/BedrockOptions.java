package dev.switchboard.aws;

import dev.switchboard.ErrorKind;
import dev.switchboard.http.ErrorContext;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options a {@code ChatRequest} may carry for Bedrock, under {@code providerOptions("bedrock")}:
 *
 * <ul>
 *   <li>{@code additionalModelRequestFields} — a map sent as Converse's
 *       {@code additionalModelRequestFields} (model-specific settings such as Anthropic's
 *       {@code thinking} or {@code top_k}).
 *   <li>{@code structuredOutput} — {@code "tool"} (default: JSON output through a forced tool,
 *       which every tool-capable model supports) or {@code "native"} (Converse's
 *       {@code outputConfig.textFormat}, for models that support it).
 * </ul>
 * Any other key is an INVALID_REQUEST naming it, so a misspelt option is not silently ignored.
 */
record BedrockOptions(Optional<Map<?, ?>> additionalModelRequestFields, boolean nativeStructuredOutput) {
  static final Set<String> KEYS = Set.of("additionalModelRequestFields", "structuredOutput");

  static BedrockOptions parse(Map<String, Object> options, ErrorContext context) {
    Set<String> unknown = new TreeSet<>(options.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw context.error(ErrorKind.INVALID_REQUEST, "unknown providerOptions.bedrock key(s) " + unknown
          + "; known keys are " + new TreeSet<>(KEYS)).build();
    }
    Object fields = options.get("additionalModelRequestFields");
    if (fields != null && !(fields instanceof Map)) {
      throw context.error(ErrorKind.INVALID_REQUEST,
          "providerOptions.bedrock.additionalModelRequestFields must be a map, not " + fields.getClass().getSimpleName()).build();
    }
    Object structured = options.getOrDefault("structuredOutput", "tool");
    if (!"tool".equals(structured) && !"native".equals(structured)) {
      throw context.error(ErrorKind.INVALID_REQUEST,
          "providerOptions.bedrock.structuredOutput must be \"tool\" or \"native\", not " + structured).build();
    }
    return new BedrockOptions(Optional.ofNullable((Map<?, ?>) fields), "native".equals(structured));
  }
}
