package dev.switchboard.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration Switchboard uses: unknown properties ignored (wire DTOs read
 * only the fields they use), no default typing, and read limits so a hostile body cannot exhaust
 * memory or stack (nesting depth 200, strings 16 MB, numbers 1,000 digits).
 */
public final class Json {
  public static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
      .maxNestingDepth(200)
      .maxStringLength(16 * 1024 * 1024)
      .maxNumberLength(1000)
      .maxNameLength(50_000)
      .build();

  private static final ObjectMapper MAPPER = newMapper();
  /** Reads one JSON value and fails on anything after it: providers embed such text as it is. */
  private static final ObjectReader ONE_VALUE = MAPPER.readerFor(JsonNode.class)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** A new mapper with Switchboard's settings. */
  public static ObjectMapper newMapper() {
    JsonFactory factory = JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build();
    return JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  /** The shared mapper (thread-safe; do not reconfigure). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Checks that {@code json} is a JSON object.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static JsonNode requireObject(String json, String what) {
    JsonNode node;
    try {
      node = ONE_VALUE.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    return node;
  }

  /**
   * Checks that {@code json} is one JSON value (object, array, string, number, boolean or null).
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static JsonNode requireValue(String json, String what) {
    try {
      JsonNode node = ONE_VALUE.readTree(json);
      if (node == null || node.isMissingNode()) throw new IllegalArgumentException(what + " is empty, not a JSON value");
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
