package dev.switchboard.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes LangChain4j's JSON Schema model as JSON Schema text, the form Switchboard's tools and
 * response formats take. Written here rather than borrowed from LangChain4j's
 * {@code dev.langchain4j.internal} package, which is not its API.
 */
final class SchemaJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaJson() {}

  static String write(JsonSchemaElement element) {
    try {
      return JSON.writeValueAsString(toMap(element));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("JSON schema cannot be written: " + e.getOriginalMessage(), e);
    }
  }

  /** An empty object schema when a tool has no parameters. */
  static String writeParameters(JsonObjectSchema parameters) {
    return parameters == null ? "{\"type\":\"object\",\"properties\":{}}" : write(parameters);
  }

  static Object toMap(JsonSchemaElement element) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (element instanceof JsonObjectSchema o) {
      m.put("type", "object");
      describe(m, o.description());
      Map<String, Object> props = new LinkedHashMap<>();
      if (o.properties() != null) o.properties().forEach((k, v) -> props.put(k, toMap(v)));
      m.put("properties", props);
      if (o.required() != null && !o.required().isEmpty()) m.put("required", o.required());
      if (o.additionalProperties() != null) m.put("additionalProperties", o.additionalProperties());
      if (o.definitions() != null && !o.definitions().isEmpty()) {
        Map<String, Object> defs = new LinkedHashMap<>();
        o.definitions().forEach((k, v) -> defs.put(k, toMap(v)));
        m.put("$defs", defs);
      }
    } else if (element instanceof JsonStringSchema s) {
      m.put("type", "string");
      describe(m, s.description());
    } else if (element instanceof JsonIntegerSchema i) {
      m.put("type", "integer");
      describe(m, i.description());
    } else if (element instanceof JsonNumberSchema n) {
      m.put("type", "number");
      describe(m, n.description());
    } else if (element instanceof JsonBooleanSchema b) {
      m.put("type", "boolean");
      describe(m, b.description());
    } else if (element instanceof JsonNullSchema) {
      m.put("type", "null");
    } else if (element instanceof JsonEnumSchema e) {
      m.put("type", "string");
      describe(m, e.description());
      m.put("enum", e.enumValues());
    } else if (element instanceof JsonArraySchema a) {
      m.put("type", "array");
      describe(m, a.description());
      if (a.items() != null) m.put("items", toMap(a.items()));
    } else if (element instanceof JsonReferenceSchema r) {
      m.put("$ref", "#/$defs/" + r.reference());
      describe(m, r.description());
    } else if (element instanceof JsonAnyOfSchema any) {
      describe(m, any.description());
      List<Object> options = new ArrayList<>();
      any.anyOf().forEach(x -> options.add(toMap(x)));
      m.put("anyOf", options);
    } else if (element instanceof JsonRawSchema raw) {
      try {
        return JSON.readValue(raw.schema(), Object.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("raw JSON schema is not JSON: " + e.getOriginalMessage(), e);
      }
    } else {
      throw new IllegalArgumentException("JSON schema element " + element.getClass().getName() + " is not supported");
    }
    return m;
  }

  private static void describe(Map<String, Object> m, String description) {
    if (description != null) m.put("description", description);
  }
}
