package dev.switchboard;

import dev.switchboard.internal.Json;
import java.util.Objects;

/** The shape of the answer: free {@link Text}, any {@link JsonObject}, or JSON matching a {@link JsonSchema}. */
public sealed interface ResponseFormat {

  static ResponseFormat text() {
    return Text.INSTANCE;
  }

  static ResponseFormat jsonObject() {
    return JsonObject.INSTANCE;
  }

  static ResponseFormat jsonSchema(String name, String schema, boolean strict) {
    return new JsonSchema(name, schema, strict);
  }

  /** JSON matching {@code schema}, with a description that tells the model what the answer is for. */
  static ResponseFormat jsonSchema(String name, String description, String schema, boolean strict) {
    return new JsonSchema(name, schema, strict, description);
  }

  /** Free text (the default). */
  enum Text implements ResponseFormat { INSTANCE }

  /** Any syntactically valid JSON object. */
  enum JsonObject implements ResponseFormat { INSTANCE }

  /**
   * JSON matching {@code schema} (JSON Schema as JSON text, an object); {@code strict} asks the
   * provider to enforce it where it can; {@code description} ("" for none) says what the answer
   * is for (OpenAI / Azure {@code json_schema.description}, Bedrock {@code jsonSchema.description}
   * or the description of the forced output tool).
   */
  record JsonSchema(String name, String schema, boolean strict, String description) implements ResponseFormat {
    public JsonSchema {
      if (name == null || name.isBlank()) throw new IllegalArgumentException("responseFormat json schema name is blank");
      Objects.requireNonNull(schema, "schema == null");
      Objects.requireNonNull(description, "responseFormat json schema description == null");
      Json.requireObject(schema, "responseFormat '" + name + "' schema");
    }

    /** A schema without a description. */
    public JsonSchema(String name, String schema, boolean strict) {
      this(name, schema, strict, "");
    }
  }
}
