package dev.switchboard.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A LangChain4j {@link EmbeddingModel} backed by a {@link Switchboard} embedding alias. Every
 * target behind the alias must produce vectors of the same size for failover to be safe
 * (vectors from different models are not comparable); set {@code dimensions} where the models
 * accept it.
 */
public final class SwitchboardEmbeddingModel implements EmbeddingModel {
  private final Switchboard switchboard;
  private final String alias;
  private final OptionalInt dimensions;

  private SwitchboardEmbeddingModel(Switchboard switchboard, String alias, OptionalInt dimensions) {
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard == null");
    if (alias == null || alias.isBlank()) throw new IllegalArgumentException("alias is blank: name a model alias");
    this.alias = alias;
    this.dimensions = dimensions;
  }

  public static SwitchboardEmbeddingModel of(Switchboard switchboard, String alias) {
    return new SwitchboardEmbeddingModel(switchboard, alias, OptionalInt.empty());
  }

  /** Asks every target for vectors of {@code dimensions} (OpenAI text-embedding-3, Titan v2). */
  public SwitchboardEmbeddingModel withDimensions(int dimensions) {
    return new SwitchboardEmbeddingModel(switchboard, alias, OptionalInt.of(dimensions));
  }

  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    List<String> inputs = new ArrayList<>(segments.size());
    for (TextSegment s : segments) inputs.add(s.text());
    EmbeddingRequest request = EmbeddingRequest.of(alias, inputs);
    if (dimensions.isPresent()) request = request.withDimensions(dimensions.getAsInt());
    EmbeddingResponse r;
    try {
      r = switchboard.embed(request);
    } catch (SwitchboardException e) {
      throw Errors.map(e);
    }
    List<Embedding> embeddings = new ArrayList<>(r.vectors().size());
    for (float[] v : r.vectors()) embeddings.add(Embedding.from(v));
    return Response.from(embeddings, Responses.tokenUsage(r.usage()));
  }

  @Override
  public int dimension() {
    return dimensions.isPresent() ? dimensions.getAsInt() : EmbeddingModel.super.dimension();
  }

  @Override
  public String modelName() {
    return alias;
  }

  @Override
  public String toString() {
    return "SwitchboardEmbeddingModel[alias=" + alias + "]";
  }
}
