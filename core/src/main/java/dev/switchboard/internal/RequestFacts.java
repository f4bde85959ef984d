package dev.switchboard.internal;

import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import dev.switchboard.routing.TokenEstimator;
import dev.switchboard.spi.Capabilities;
import java.util.List;

/**
 * What routing needs to know about one request, computed once per call: the capabilities it
 * needs and its estimated size in tokens ({@code requiredContext} adds the requested maxTokens).
 */
record RequestFacts(
    boolean streaming,
    boolean embeddings,
    boolean tools,
    boolean images,
    boolean imageUrls,
    boolean jsonSchema,
    boolean documents,
    boolean documentFileIds,
    boolean video,
    int estimatedInput,
    int maxOutput,
    long requiredContext) {

  static RequestFacts of(ChatRequest r, boolean streaming) {
    boolean images = false;
    boolean urls = false;
    boolean documents = false;
    boolean fileIds = false;
    boolean video = false;
    for (Message m : r.messages()) {
      // A tool result's images, documents and video need the same capabilities as a user's.
      List<ContentPart> parts = m instanceof UserMessage u ? u.content()
          : m instanceof ToolResultMessage t ? t.content() : List.of();
      for (ContentPart p : parts) {
        if (p instanceof ContentPart.ImageUrl) {
          images = true;
          urls = true;
        } else if (p instanceof ContentPart.ImageBytes) {
          images = true;
        } else if (p instanceof ContentPart.DocumentBytes) {
          documents = true;
        } else if (p instanceof ContentPart.DocumentFile) {
          documents = true;
          fileIds = true;
        } else if (p instanceof ContentPart.VideoBytes || p instanceof ContentPart.VideoS3) {
          video = true;
        }
      }
    }
    int input = TokenEstimator.estimateInput(r);
    int max = r.maxTokens().orElse(-1);
    return new RequestFacts(streaming, false, !r.tools().isEmpty(), images, urls,
        r.responseFormat() instanceof ResponseFormat.JsonSchema, documents, fileIds, video, input, max, (long) input + Math.max(0, max));
  }

  static RequestFacts of(EmbeddingRequest r) {
    int input = TokenEstimator.estimateInput(r);
    return new RequestFacts(false, true, false, false, false, false, false, false, false, input, -1, input);
  }

  /** Why a target with capabilities {@code c} cannot serve this request, or null. */
  String mismatch(Capabilities c) {
    if (embeddings && !c.embeddings()) return "does not support embeddings";
    if (streaming && !c.streaming()) return "does not support streaming";
    if (tools && !c.tools()) return "does not support tools";
    if (images && !c.images()) return "does not support images";
    if (imageUrls && !c.imageUrls()) return "does not accept images by URL";
    if (jsonSchema && !c.jsonSchema()) return "does not support JSON schema output";
    if (documents && !c.documents()) return "does not read documents";
    if (documentFileIds && !c.documentFileIds()) return "does not accept documents by provider file id";
    if (video && !c.video()) return "does not read video";
    return null;
  }
}
