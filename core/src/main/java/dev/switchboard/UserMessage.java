package dev.switchboard;

import java.util.List;

/** A user turn: one or more {@link ContentPart}s (text, images and documents). */
public record UserMessage(List<ContentPart> content) implements Message {
  public UserMessage {
    content = List.copyOf(content);
    if (content.isEmpty()) throw new IllegalArgumentException("user message content is empty");
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

  /** Whether any part is a document (bytes or a provider file id). */
  public boolean hasDocuments() {
    for (ContentPart part : content) {
      if (part instanceof ContentPart.DocumentBytes || part instanceof ContentPart.DocumentFile) return true;
    }
    return false;
  }
}
