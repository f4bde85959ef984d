package dev.switchboard;

import dev.switchboard.internal.Json;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A function the model may call: a name ({@code [A-Za-z0-9_-]}, 1–64 characters, the rule all
 * three providers share), a description, the JSON Schema of its parameters as JSON text, which
 * must be a JSON object, and {@code strict}: whether the provider should make the call's
 * arguments follow the schema exactly (OpenAI / Azure {@code function.strict}, Bedrock
 * {@code toolSpec.strict}). Models that cannot enforce it reject the request with the
 * provider's own error.
 */
public record ToolDefinition(String name, String description, String parametersSchema, boolean strict) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public ToolDefinition {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("tool name is blank");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tool name '" + name + "' must match [A-Za-z0-9_-]{1,64}");
    }
    Objects.requireNonNull(description, "description == null");
    Objects.requireNonNull(parametersSchema, "parametersSchema == null");
    Json.requireObject(parametersSchema, "tool '" + name + "' parametersSchema");
  }

  /** A tool whose arguments the provider does not have to hold to the schema ({@code strict} false). */
  public ToolDefinition(String name, String description, String parametersSchema) {
    this(name, description, parametersSchema, false);
  }

  /** A tool with no parameters. */
  public static ToolDefinition of(String name, String description) {
    return new ToolDefinition(name, description, "{\"type\":\"object\",\"properties\":{}}");
  }

  /** This tool with {@code strict} set as given. */
  public ToolDefinition withStrict(boolean strict) {
    return new ToolDefinition(name, description, parametersSchema, strict);
  }
}
