package dev.switchboard.springai;

import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * A Spring AI {@link EmbeddingModel} backed by a {@link Switchboard} embedding alias. Every target
 * behind the alias must produce vectors of the same size for failover to be safe (vectors from
 * different models are not comparable); set {@code dimensions} where the models accept it. The
 * request options' model names the alias and their dimensions win over this model's.
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
  public org.springframework.ai.embedding.EmbeddingResponse call(org.springframework.ai.embedding.EmbeddingRequest request) {
    Objects.requireNonNull(request, "request == null");
    EmbeddingOptions options = request.getOptions();
    String model = options == null || options.getModel() == null || options.getModel().isBlank() ? alias : options.getModel();
    EmbeddingRequest sb = EmbeddingRequest.of(model, request.getInstructions());
    if (options != null && options.getDimensions() != null) sb = sb.withDimensions(options.getDimensions());
    else if (dimensions.isPresent()) sb = sb.withDimensions(dimensions.getAsInt());
    EmbeddingResponse r;
    try {
      r = switchboard.embed(sb);
    } catch (SwitchboardException e) {
      throw Errors.map(e);
    }
    List<Embedding> embeddings = new ArrayList<>(r.vectors().size());
    for (int i = 0; i < r.vectors().size(); i++) embeddings.add(new Embedding(r.vectors().get(i), i));
    EmbeddingResponseMetadata metadata = new EmbeddingResponseMetadata(r.model().isEmpty() ? r.servedBy().model() : r.model(),
        Responses.usage(r.usage()), Map.of(SwitchboardMetadata.SERVED_BY, r.servedBy(), SwitchboardMetadata.ATTEMPTS, r.attempts()));
    return new org.springframework.ai.embedding.EmbeddingResponse(embeddings, metadata);
  }

  @Override
  public float[] embed(Document document) {
    String text = getEmbeddingContent(document);
    if (text == null || text.isEmpty()) throw new IllegalArgumentException("document " + document.getId() + " has no text to embed");
    return embed(text);
  }

  @Override
  public int dimensions() {
    return dimensions.isPresent() ? dimensions.getAsInt() : EmbeddingModel.super.dimensions();
  }

  public String alias() {
    return alias;
  }

  @Override
  public String toString() {
    return "SwitchboardEmbeddingModel[alias=" + alias + "]";
  }
}
