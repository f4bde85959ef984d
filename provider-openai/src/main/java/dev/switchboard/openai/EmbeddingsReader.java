package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.ErrorKind;
import dev.switchboard.Usage;
import dev.switchboard.http.ErrorContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Streams an embeddings response into float arrays without boxing every number. */
final class EmbeddingsReader {
  private EmbeddingsReader() {}

  static OpenAiCodec.Embeddings read(JsonParser p, int expectedCount, ErrorContext context) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) throw protocol(context, "embeddings body is not a JSON object");
    float[][] byIndex = new float[Math.max(expectedCount, 0)][];
    List<float[]> unindexed = new ArrayList<>();
    int prompt = 0;
    String model = "";
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "model" -> model = t == JsonToken.VALUE_STRING ? p.getText() : model;
        case "usage" -> {
          if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            break;
          }
          String f;
          while ((f = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (f.equals("prompt_tokens") && v == JsonToken.VALUE_NUMBER_INT) prompt = p.getIntValue();
            else p.skipChildren();
          }
        }
        case "data" -> {
          if (t != JsonToken.START_ARRAY) throw protocol(context, "embeddings 'data' is not an array");
          while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = -1;
            float[] vector = null;
            String f;
            while ((f = p.nextFieldName()) != null) {
              JsonToken v = p.nextToken();
              if (f.equals("index") && v == JsonToken.VALUE_NUMBER_INT) index = p.getIntValue();
              else if (f.equals("embedding")) vector = vector(p, v, context);
              else p.skipChildren();
            }
            if (vector == null) throw protocol(context, "embeddings item without an 'embedding'");
            if (index < 0) {
              unindexed.add(vector);
            } else {
              if (index >= byIndex.length) throw protocol(context, "embeddings item index " + index + " for " + expectedCount + " inputs");
              if (byIndex[index] != null) throw protocol(context, "embeddings index " + index + " appears twice");
              byIndex[index] = vector;
            }
          }
        }
        default -> p.skipChildren();
      }
    }
    List<float[]> vectors = new ArrayList<>(expectedCount);
    int next = 0;
    for (int i = 0; i < byIndex.length; i++) {
      if (byIndex[i] != null) vectors.add(byIndex[i]);
      else if (next < unindexed.size()) vectors.add(unindexed.get(next++));
    }
    if (vectors.size() != expectedCount || next != unindexed.size()) {
      throw protocol(context, "embeddings response has " + (vectors.size() + unindexed.size() - next)
          + " vectors for " + expectedCount + " inputs");
    }
    return new OpenAiCodec.Embeddings(vectors, Usage.of(prompt, 0), model);
  }

  private static float[] vector(JsonParser p, JsonToken t, ErrorContext context) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(p.getText());
      } catch (IllegalArgumentException e) {
        throw protocol(context, "embedding is a string but not base64");
      }
      if (raw.length % 4 != 0) throw protocol(context, "base64 embedding is not a whole number of float32s");
      float[] out = new float[raw.length / 4];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }
    if (t != JsonToken.START_ARRAY) throw protocol(context, "embedding is neither an array nor base64");
    float[] out = new float[256];
    int n = 0;
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
      if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) throw protocol(context, "embedding holds a non-number");
      if (n == out.length) out = Arrays.copyOf(out, n * 2);
      out[n++] = p.getFloatValue();
    }
    return Arrays.copyOf(out, n);
  }

  private static dev.switchboard.SwitchboardException protocol(ErrorContext context, String message) {
    return context.error(ErrorKind.PROTOCOL, message).build();
  }
}
