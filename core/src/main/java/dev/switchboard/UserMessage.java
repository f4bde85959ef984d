package dev.switchboard;

import java.util.List;

/**
 * A user turn: one or more {@link ContentPart}s (text, images, documents and video), with
 * {@link ContentPart.CachePoint}s among them where the prompt prefix is worth caching.
 * {@link ContentPart.Json} parts belong in tool results and are refused here.
 */
public record UserMessage(List<ContentPart> content) implements Message {
  public UserMessage {
    content = List.copyOf(content);
    if (content.isEmpty()) throw new IllegalArgumentException("user message content is empty");
    boolean onlyCachePoints = true;
    for (ContentPart part : content) {
      onlyCachePoints &= part instanceof ContentPart.CachePoint;
      if (part instanceof ContentPart.Json) {
        throw new IllegalArgumentException("user message content has a JSON part: JSON parts belong in tool results");
      }
    }
    if (onlyCachePoints) throw new IllegalArgumentException("user message content has only cache points and nothing to send");
  }

  /** Whether any part is a {@link ContentPart.CachePoint}. */
  public boolean hasCachePoints() {
    for (ContentPart part : content) {
      if (part instanceof ContentPart.CachePoint) return true;
    }
    return false;
  }

  /** The content without its cache points (itself when it has none): what providers that cache on their own send. */
  public List<ContentPart> contentWithoutCachePoints() {
    if (!hasCachePoints()) return content;
    return content.stream().filter(p -> !(p instanceof ContentPart.CachePoint)).toList();
  }

  /** The text parts joined, without images. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) sb.append(t.text());
    }
    return sb.toString();
  }

  /** Whether any part is an image. */
  public boolean hasImages() {
    for (ContentPart part : content) {
      if (part instanceof ContentPart.ImageUrl || part instanceof ContentPart.ImageBytes) return true;
    }
    return false;
  }

  /** Whether any part is a video (bytes or an S3 location). */
  public boolean hasVideo() {
    return ContentPart.anyVideo(content);
  }

  /** Whether any part is a document (bytes or a provider file id). */
  public boolean hasDocuments() {
    for (ContentPart part : content) {
      if (part instanceof ContentPart.DocumentBytes || part instanceof ContentPart.DocumentFile) return true;
    }
    return false;
  }
}
