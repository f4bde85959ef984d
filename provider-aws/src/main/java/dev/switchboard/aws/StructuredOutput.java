package dev.switchboard.aws;

import dev.switchboard.ResponseFormat;
import dev.switchboard.ToolDefinition;
import java.util.List;

/**
 * JSON output through a forced tool. Converse has no JSON mode that every model supports, but
 * every tool-capable model can be made to call a tool whose input schema is the wanted JSON
 * schema; the tool's input is then the answer. The provider turns that tool call back into the
 * response text (finish reason STOP), so callers see plain JSON text as with other providers.
 * When the request also has its own tools, the model must call some tool ({@code any}), and may
 * call one of the caller's tools first.
 *
 * @param toolName a tool name that does not clash with the caller's tools
 */
record StructuredOutput(String toolName, String description, String schema) {
  static final String JSON_OBJECT_TOOL = "json_response";

  static StructuredOutput of(ResponseFormat format, List<ToolDefinition> tools) {
    String base;
    String schema;
    String purpose = "";
    if (format instanceof ResponseFormat.JsonSchema s) {
      base = sanitize(s.name());
      schema = s.schema();
      if (!s.description().isEmpty()) purpose = s.description().strip() + " ";
    } else {
      base = JSON_OBJECT_TOOL;
      schema = "{\"type\":\"object\"}";
    }
    String name = base;
    for (int i = 2; clashes(name, tools); i++) {
      String suffix = "_" + i;
      name = base.substring(0, Math.min(base.length(), 64 - suffix.length())) + suffix;
    }
    return new StructuredOutput(name, purpose + "Give the final answer by calling this tool with it as the input."
        + " The input must match the schema exactly.", schema);
  }

  private static boolean clashes(String name, List<ToolDefinition> tools) {
    for (ToolDefinition t : tools) {
      if (t.name().equals(name)) return true;
    }
    return false;
  }

  /** Bedrock tool names match {@code [a-zA-Z0-9_-]{1,64}}. */
  static String sanitize(String name) {
    String s = name.replaceAll("[^A-Za-z0-9_-]", "_");
    if (s.isEmpty() || s.chars().allMatch(c -> c == '_')) s = JSON_OBJECT_TOOL;
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
