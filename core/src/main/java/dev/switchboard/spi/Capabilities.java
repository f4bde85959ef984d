package dev.switchboard.spi;

/**
 * What a deployment supports. Routing skips a target whose capabilities do not cover a request
 * (tools, images, documents, JSON schema, streaming) and says so in the response's warnings.
 *
 * @param imageUrls whether images may be given by URL (Bedrock needs the bytes)
 * @param documents whether document parts (PDF and the like) can be read
 * @param documentFileIds whether documents may be given by a provider file id (OpenAI / Azure Files API)
 */
public record Capabilities(
    boolean streaming, boolean tools, boolean images, boolean imageUrls, boolean jsonSchema, boolean embeddings,
    boolean documents, boolean documentFileIds) {

  /** Everything supported. */
  public static final Capabilities ALL = new Capabilities(true, true, true, true, true, true, true, true);

  /** Capabilities without documents; for providers written before document parts existed. */
  public Capabilities(boolean streaming, boolean tools, boolean images, boolean imageUrls, boolean jsonSchema, boolean embeddings) {
    this(streaming, tools, images, imageUrls, jsonSchema, embeddings, false, false);
  }
}
