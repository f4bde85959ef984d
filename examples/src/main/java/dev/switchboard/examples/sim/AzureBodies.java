package dev.switchboard.examples.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON bodies of the Azure OpenAI simulator, shaped like the recorded Azure responses. */
final class AzureBodies {
  /** Azure reports the model version behind a deployment, not the deployment's name. */
  static final String MODEL_VERSION = "gpt-4o-2024-11-20";
  static final String EMBEDDING_MODEL = "text-embedding-3-small";
  /** Dimensions of the simulated embeddings (real text-embedding-3-small has 1536). */
  static final int EMBEDDING_DIMENSIONS = 64;

  private AzureBodies() {}

  static ObjectNode chunk(String id, long created) {
    ObjectNode c = Wire.object();
    ObjectNode choice = c.putArray("choices").addObject();
    choice.putNull("finish_reason");
    choice.put("index", 0);
    choice.putNull("logprobs");
    c.put("created", created).put("id", id).put("model", MODEL_VERSION).put("object", "chat.completion.chunk");
    c.putNull("system_fingerprint");
    c.putNull("usage");
    return c;
  }

  static ObjectNode completion(String deployment, String text, String finish, int promptTokens, int completionTokens) {
    ObjectNode r = Wire.object();
    ObjectNode choice = r.putArray("choices").addObject();
    choice.set("content_filter_results", contentFilterResults(true));
    choice.put("finish_reason", finish).put("index", 0);
    choice.putNull("logprobs");
    choice.putObject("message").put("content", text).putNull("refusal").put("role", "assistant");
    r.put("created", System.currentTimeMillis() / 1000);
    r.put("id", "chatcmpl-" + Wire.requestId().replace("-", "").substring(0, 24));
    r.put("model", MODEL_VERSION);
    r.put("object", "chat.completion");
    r.set("prompt_filter_results", promptFilterResults());
    r.put("system_fingerprint", "fp_sim");
    r.set("usage", usage(promptTokens, completionTokens));
    return r;
  }

  /**
   * A Responses API {@code response} object as Azure's v1 surface returns it: one assistant
   * message with an {@code output_text} part, usage in input / output tokens with their details.
   */
  static ObjectNode response(String id, String text, boolean incomplete, int inputTokens, int outputTokens) {
    ObjectNode r = Wire.object();
    r.put("id", id).put("object", "response").put("created_at", System.currentTimeMillis() / 1000);
    r.put("status", incomplete ? "incomplete" : "completed");
    r.putNull("error");
    if (incomplete) r.putObject("incomplete_details").put("reason", "max_output_tokens");
    else r.putNull("incomplete_details");
    r.putNull("instructions");
    r.put("model", MODEL_VERSION);
    ObjectNode message = r.putArray("output").addObject();
    message.put("id", "msg_" + id.substring(5)).put("type", "message").put("status", incomplete ? "incomplete" : "completed")
        .put("role", "assistant");
    ObjectNode part = message.putArray("content").addObject();
    part.put("type", "output_text").putArray("annotations");
    part.put("text", text);
    r.put("parallel_tool_calls", true).put("store", false);
    r.putObject("text").putObject("format").put("type", "text");
    ObjectNode u = r.putObject("usage");
    u.put("input_tokens", inputTokens);
    u.putObject("input_tokens_details").put("cached_tokens", 0);
    u.put("output_tokens", outputTokens);
    u.putObject("output_tokens_details").put("reasoning_tokens", 0);
    u.put("total_tokens", inputTokens + outputTokens);
    return r;
  }

  static ObjectNode usage(int prompt, int completion) {
    ObjectNode u = Wire.object();
    u.put("completion_tokens", completion).put("prompt_tokens", prompt).put("total_tokens", prompt + completion);
    return u;
  }

  static ArrayNode promptFilterResults() {
    ArrayNode results = Wire.JSON.createArrayNode();
    ObjectNode r = results.addObject();
    r.put("prompt_index", 0);
    ObjectNode f = r.putObject("content_filter_results");
    severity(f, "hate");
    f.putObject("jailbreak").put("filtered", false).put("detected", false);
    severity(f, "self_harm");
    severity(f, "sexual");
    severity(f, "violence");
    return results;
  }

  static ObjectNode contentFilterResults(boolean protectedMaterial) {
    ObjectNode f = Wire.object();
    severity(f, "hate");
    if (protectedMaterial) {
      f.putObject("protected_material_code").put("filtered", false).put("detected", false);
      f.putObject("protected_material_text").put("filtered", false).put("detected", false);
    }
    severity(f, "self_harm");
    severity(f, "sexual");
    severity(f, "violence");
    return f;
  }

  static void severity(ObjectNode f, String category) {
    f.putObject(category).put("filtered", false).put("severity", "safe");
  }

  static ObjectNode error(String code, String message) {
    ObjectNode e = Wire.object();
    e.putObject("error").put("code", code).put("message", message);
    return e;
  }

  /**
   * Embeddings for {@code inputs}: each word hashed into one of the dimensions, then normalised,
   * so texts that share words point the same way (cosine similarity means something).
   */
  static ObjectNode embeddings(List<String> inputs, int dimensions) {
    ObjectNode r = Wire.object();
    r.put("object", "list");
    ArrayNode data = r.putArray("data");
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      double[] v = new double[dimensions];
      for (String word : inputs.get(i).toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (word.isEmpty()) continue;
        tokens++;
        v[Math.floorMod(java.util.Arrays.hashCode(word.getBytes(StandardCharsets.UTF_8)), dimensions)] += 1;
      }
      double norm = Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode vector = item.putArray("embedding");
      for (double x : v) vector.add(norm == 0 ? 0 : (float) (x / norm));
    }
    r.put("model", EMBEDDING_MODEL);
    r.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return r;
  }
}
