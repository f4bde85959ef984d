package dev.switchboard.spi;

/**
 * What a deployment supports. Routing skips a target whose capabilities do not cover a request
 * (tools, images, documents, video, JSON schema, streaming) and says so in the response's warnings.
 *
 * @param imageUrls whether images may be given by URL (Bedrock needs the bytes)
 * @param documents whether document parts (PDF and the like) can be read
 * @param documentFileIds whether documents may be given by a provider file id (OpenAI / Azure Files API)
 * @param video whether video parts can be read (Bedrock Converse; OpenAI and Azure have no video input)
 */
public record Capabilities(
    boolean streaming, boolean tools, boolean images, boolean imageUrls, boolean jsonSchema, boolean embeddings,
    boolean documents, boolean documentFileIds, boolean video) {

  /** Everything supported. */
  public static final Capabilities ALL = new Capabilities(true, true, true, true, true, true, true, true, true);

  /** Capabilities without video; for providers written before video parts existed. */
  public Capabilities(boolean streaming, boolean tools, boolean images, boolean imageUrls, boolean jsonSchema, boolean embeddings,
      boolean documents, boolean documentFileIds) {
    this(streaming, tools, images, imageUrls, jsonSchema, embeddings, documents, documentFileIds, false);
  }

  /** Capabilities without documents or video; for providers written before document parts existed. */
  public Capabilities(boolean streaming, boolean tools, boolean images, boolean imageUrls, boolean jsonSchema, boolean embeddings) {
    this(streaming, tools, images, imageUrls, jsonSchema, embeddings, false, false, false);
  }

  /** These capabilities with {@code video} as given. */
  public Capabilities withVideo(boolean video) {
    return new Capabilities(streaming, tools, images, imageUrls, jsonSchema, embeddings, documents, documentFileIds, video);
  }
}
