package dev.switchboard.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * InvokeModel request and response bodies of the embedding models Bedrock serves:
 *
 * <ul>
 *   <li>Amazon Titan Text Embeddings V2 ({@code amazon.titan-embed-text-v2:0}): one input per
 *       call, {@code {"inputText", "dimensions" (256, 512 or 1024), "normalize": true}} →
 *       {@code {"embedding": [...], "inputTextTokenCount"}}. Titan V1 / G1 take no dimensions.
 *   <li>Cohere Embed ({@code cohere.embed-*}): up to 96 inputs per call,
 *       {@code {"texts", "input_type": "search_document"}} (plus {@code output_dimension} for
 *       Embed v4) → {@code {"embeddings": [[...]]}} or {@code {"embeddings": {"float": [[...]]}}}.
 * </ul>
 * The model family is recognised in foundation-model ids, inference-profile ids and ARNs.
 */
final class EmbeddingCodec {
  enum Family { TITAN_V2, TITAN, COHERE_V3, COHERE_V4 }

  static final int COHERE_BATCH = 96;
  private static final Set<Integer> TITAN_V2_DIMENSIONS = Set.of(256, 512, 1024);
  private static final Set<Integer> COHERE_V4_DIMENSIONS = Set.of(256, 512, 1024, 1536);

  private final ObjectMapper mapper;
  private final ErrorContext context;

  EmbeddingCodec(ObjectMapper mapper, ErrorContext context) {
    this.mapper = mapper;
    this.context = context;
  }

  Family family(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    if (id.contains("amazon.titan-embed-text-v2")) return Family.TITAN_V2;
    if (id.contains("amazon.titan-embed")) return Family.TITAN;
    if (id.contains("cohere.embed-v4")) return Family.COHERE_V4;
    if (id.contains("cohere.embed")) return Family.COHERE_V3;
    throw invalid("model '" + modelId + "' is not an embedding model this provider knows; supported are"
        + " amazon.titan-embed-text-v2:0 (and other amazon.titan-embed-*) and cohere.embed-*");
  }

  /** The InvokeModel bodies for {@code request}, in input order. */
  List<byte[]> requests(Family family, EmbeddingRequest request) {
    List<byte[]> bodies = new ArrayList<>();
    List<String> inputs = request.inputs();
    switch (family) {
      case TITAN_V2, TITAN -> {
        if (request.dimensions().isPresent()) {
          int d = request.dimensions().getAsInt();
          if (family == Family.TITAN || !TITAN_V2_DIMENSIONS.contains(d)) {
            throw invalid("dimensions " + d + " is not supported by this Titan model"
                + (family == Family.TITAN_V2 ? " (use 256, 512 or 1024)" : " (it has fixed dimensions)"));
          }
        }
        for (String input : inputs) {
          ObjectNode body = mapper.createObjectNode().put("inputText", input);
          if (family == Family.TITAN_V2) {
            request.dimensions().ifPresent(d -> body.put("dimensions", d));
            body.put("normalize", true);
          }
          bodies.add(bytes(body));
        }
      }
      case COHERE_V3, COHERE_V4 -> {
        if (request.dimensions().isPresent()) {
          int d = request.dimensions().getAsInt();
          if (family == Family.COHERE_V3 || !COHERE_V4_DIMENSIONS.contains(d)) {
            throw invalid("dimensions " + d + " is not supported by this Cohere model"
                + (family == Family.COHERE_V4 ? " (use 256, 512, 1024 or 1536)" : " (it has fixed dimensions)"));
          }
        }
        for (int from = 0; from < inputs.size(); from += COHERE_BATCH) {
          ObjectNode body = mapper.createObjectNode();
          inputs.subList(from, Math.min(inputs.size(), from + COHERE_BATCH)).forEach(body.putArray("texts")::add);
          body.put("input_type", "search_document");
          request.dimensions().ifPresent(d -> body.put("output_dimension", d));
          bodies.add(bytes(body));
        }
      }
    }
    return bodies;
  }

  /** The vectors of one response body, and the input tokens it reports (-1 when it reports none). */
  record Parsed(List<float[]> vectors, int inputTokens) {}

  Parsed parse(Family family, byte[] body, int expectedVectors) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw protocol("embedding response is not valid JSON");
    }
    if (root == null || !root.isObject()) throw protocol("embedding response is not a JSON object");
    List<float[]> vectors = new ArrayList<>();
    int tokens = -1;
    if (family == Family.TITAN_V2 || family == Family.TITAN) {
      vectors.add(vector(root.get("embedding")));
      if (root.path("inputTextTokenCount").canConvertToInt()) tokens = root.get("inputTextTokenCount").asInt();
    } else {
      JsonNode embeddings = root.get("embeddings");
      if (embeddings != null && embeddings.isObject()) embeddings = embeddings.get("float");
      if (embeddings == null || !embeddings.isArray()) throw protocol("Cohere embedding response has no embeddings array");
      for (JsonNode v : embeddings) vectors.add(vector(v));
    }
    if (vectors.size() != expectedVectors) {
      throw protocol("embedding response has " + vectors.size() + " vectors for " + expectedVectors + " inputs");
    }
    return new Parsed(vectors, tokens);
  }

  private float[] vector(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) throw protocol("embedding response has no embedding vector");
    float[] v = new float[node.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode x = node.get(i);
      if (!x.isNumber()) throw protocol("embedding vector holds a non-number");
      v[i] = x.floatValue();
    }
    return v;
  }

  private byte[] bytes(ObjectNode body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw invalid("embedding request could not be serialized");
    }
  }

  private SwitchboardException invalid(String message) {
    return context.error(ErrorKind.INVALID_REQUEST, message).build();
  }

  private SwitchboardException protocol(String message) {
    return context.error(ErrorKind.PROTOCOL, message).build();
  }
}
