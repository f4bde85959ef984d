package dev.switchboard.spi;

/**
 * What a deployment supports. Routing skips a target whose capabilities do not cover a request
 * (tools, images, JSON schema, streaming) and says so in the response's warnings.
 *
 * @param imageUrls whether images may be given by URL (Bedrock needs the bytes)
 */
public record Capabilities(
    boolean streaming, boolean tools, boolean images, boolean imageUrls, boolean jsonSchema, boolean embeddings) {

  /** Everything supported. */
  public static final Capabilities ALL = new Capabilities(true, true, true, true, true, true);
}
