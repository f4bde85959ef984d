package dev.switchboard.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a JSON body against an input shape of the official Bedrock Runtime API model
 * ({@code bedrock/api-model/...service-2.json}): no member the shape does not define, no member
 * bound to the URI or a header, every required member present, unions with exactly one member,
 * enum values, string patterns and lengths, list sizes and number ranges.
 *
 * <p>A supplementary check on tests that stand on their own: on a clone without the shared
 * fixtures (and not on CI, where their absence fails) it reports no violations, so those tests'
 * own assertions still run; see {@link Fixtures#present()}.
 */
public final class ShapeValidator {
  private static volatile ShapeValidator instance;
  private final JsonNode shapes;

  private ShapeValidator(JsonNode shapes) {
    this.shapes = shapes;
  }

  public static ShapeValidator bedrockRuntime() {
    if (!Fixtures.present()) return new ShapeValidator(null);
    if (instance == null) {
      try {
        JsonNode model = ProviderTestKit.objectMapper().readTree(Fixtures.text("bedrock/api-model/bedrock-runtime-2023-09-30-service-2.json"));
        instance = new ShapeValidator(model.get("shapes"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** Every violation found, each with its JSON path; empty when the body is valid. */
  public List<String> validate(String shapeName, JsonNode body) {
    List<String> errors = new ArrayList<>();
    if (shapes == null) return errors; // no fixtures on this clone: see the class comment
    check(shapeName, body, "$", errors);
    return errors;
  }

  private void check(String shapeName, JsonNode value, String path, List<String> errors) {
    JsonNode shape = shapes.get(shapeName);
    if (shape == null) throw new IllegalStateException("no shape " + shapeName);
    if (value == null || value.isNull()) {
      errors.add(path + ": null is not a valid " + shapeName);
      return;
    }
    String type = shape.get("type").asText();
    if (shape.path("document").asBoolean(false)) return; // free-form JSON
    switch (type) {
      case "structure" -> structure(shapeName, shape, value, path, errors);
      case "list" -> {
        if (!value.isArray()) {
          errors.add(path + ": expected a list (" + shapeName + ")");
          return;
        }
        range(shape, value.size(), path, "list size", errors);
        int i = 0;
        for (JsonNode item : value) check(shape.get("member").get("shape").asText(), item, path + "[" + i++ + "]", errors);
      }
      case "map" -> {
        if (!value.isObject()) {
          errors.add(path + ": expected a map (" + shapeName + ")");
          return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          check(shape.get("key").get("shape").asText(), ProviderTestKit.objectMapper().getNodeFactory().textNode(e.getKey()), path + ".<key>", errors);
          check(shape.get("value").get("shape").asText(), e.getValue(), path + "." + e.getKey(), errors);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          errors.add(path + ": expected a string (" + shapeName + ")");
          return;
        }
        String s = value.asText();
        if (shape.has("enum")) {
          boolean ok = false;
          for (JsonNode e : shape.get("enum")) ok |= e.asText().equals(s);
          if (!ok) errors.add(path + ": '" + s + "' is not one of " + shape.get("enum") + " (" + shapeName + ")");
        }
        range(shape, s.codePointCount(0, s.length()), path, "string length", errors);
        if (shape.has("pattern") && !Pattern.compile(shape.get("pattern").asText()).matcher(s).find()) {
          errors.add(path + ": '" + s + "' does not match " + shape.get("pattern").asText() + " (" + shapeName + ")");
        }
      }
      case "integer", "long" -> {
        if (!value.isIntegralNumber()) errors.add(path + ": expected an integer (" + shapeName + ")");
        else range(shape, value.asDouble(), path, "value", errors);
      }
      case "float", "double" -> {
        if (!value.isNumber()) errors.add(path + ": expected a number (" + shapeName + ")");
        else range(shape, value.asDouble(), path, "value", errors);
      }
      case "boolean" -> {
        if (!value.isBoolean()) errors.add(path + ": expected a boolean (" + shapeName + ")");
      }
      case "blob" -> {
        if (!value.isTextual()) {
          errors.add(path + ": expected base64 text (" + shapeName + ")");
          return;
        }
        try {
          range(shape, Base64.getDecoder().decode(value.asText()).length, path, "blob size", errors);
        } catch (IllegalArgumentException e) {
          errors.add(path + ": not valid base64 (" + shapeName + ")");
        }
      }
      case "timestamp" -> {
        if (!value.isNumber() && !value.isTextual()) errors.add(path + ": expected a timestamp (" + shapeName + ")");
      }
      default -> errors.add(path + ": unsupported shape type " + type);
    }
  }

  private void structure(String shapeName, JsonNode shape, JsonNode value, String path, List<String> errors) {
    if (!value.isObject()) {
      errors.add(path + ": expected an object (" + shapeName + ")");
      return;
    }
    JsonNode members = shape.get("members");
    int present = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode member = members.get(e.getKey());
      if (member == null) {
        errors.add(path + "." + e.getKey() + ": unknown member of " + shapeName);
        continue;
      }
      if (member.has("location")) {
        errors.add(path + "." + e.getKey() + ": belongs in the " + member.get("location").asText() + ", not the body");
        continue;
      }
      present++;
      check(member.get("shape").asText(), e.getValue(), path + "." + e.getKey(), errors);
    }
    for (JsonNode required : shape.path("required")) {
      JsonNode member = members.get(required.asText());
      if (member != null && member.has("location")) continue;
      if (!value.has(required.asText())) errors.add(path + ": missing required member " + required.asText() + " of " + shapeName);
    }
    if (shape.path("union").asBoolean(false) && present != 1) {
      errors.add(path + ": union " + shapeName + " must set exactly one member, not " + present);
    }
  }

  private static void range(JsonNode shape, double n, String path, String what, List<String> errors) {
    if (shape.has("min") && n < shape.get("min").asDouble()) errors.add(path + ": " + what + " " + n + " below min " + shape.get("min"));
    if (shape.has("max") && n > shape.get("max").asDouble()) errors.add(path + ": " + what + " " + n + " above max " + shape.get("max"));
  }
}
