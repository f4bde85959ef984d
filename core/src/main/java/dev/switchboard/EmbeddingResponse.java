package dev.switchboard;

import java.util.List;
import java.util.Objects;

/**
 * Embedding vectors, one per input and in input order, with usage, the model the provider
 * reported, the target that served them and the attempts made.
 */
public record EmbeddingResponse(
    List<float[]> vectors, Usage usage, String model, TargetRef servedBy, List<Attempt> attempts) {

  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
    Objects.requireNonNull(usage, "usage == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(servedBy, "servedBy == null");
    attempts = List.copyOf(attempts);
  }

  @Override
  public String toString() {
    return "EmbeddingResponse[servedBy=" + servedBy + ", vectors=" + vectors.size()
        + (vectors.isEmpty() ? "" : "x" + vectors.get(0).length) + ", usage=" + usage + "]";
  }
}
