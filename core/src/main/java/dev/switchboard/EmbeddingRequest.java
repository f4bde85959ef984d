package dev.switchboard;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A request for embedding vectors of one or more inputs, addressed to a model alias. Rejected at
 * construction with {@link IllegalArgumentException} when the model is blank, there are no
 * inputs, an input is empty, or {@code dimensions} is not positive.
 */
public record EmbeddingRequest(
    String model, List<String> inputs, OptionalInt dimensions, Optional<String> user, Optional<Duration> timeout) {

  public EmbeddingRequest {
    if (model == null || model.isBlank()) throw new IllegalArgumentException("model is blank: name a model alias");
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) throw new IllegalArgumentException("inputs is empty");
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).isEmpty()) throw new IllegalArgumentException("inputs[" + i + "] is empty");
    }
    Objects.requireNonNull(dimensions, "dimensions == null");
    if (dimensions.isPresent() && dimensions.getAsInt() <= 0) {
      throw new IllegalArgumentException("dimensions " + dimensions.getAsInt() + " must be positive");
    }
    Objects.requireNonNull(user, "user == null");
    Objects.requireNonNull(timeout, "timeout == null");
  }

  public static EmbeddingRequest of(String model, List<String> inputs) {
    return new EmbeddingRequest(model, inputs, OptionalInt.empty(), Optional.empty(), Optional.empty());
  }

  public EmbeddingRequest withDimensions(int dimensions) {
    return new EmbeddingRequest(model, inputs, OptionalInt.of(dimensions), user, timeout);
  }

  public EmbeddingRequest withTimeout(Duration timeout) {
    return new EmbeddingRequest(model, inputs, dimensions, user, Optional.of(timeout));
  }

  @Override
  public String toString() {
    return "EmbeddingRequest[model=" + model + ", inputs=" + inputs.size() + "]";
  }
}
