package dev.switchboard;

import java.util.List;

/**
 * A system (developer) instruction, as one or more text parts. Providers that take system text
 * apart from the turns get it there (Bedrock: one {@code system} block per part); OpenAI and
 * Azure get a string for one part and an array of text parts for several.
 */
public record SystemMessage(List<ContentPart.Text> parts) implements Message {
  public SystemMessage {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) throw new IllegalArgumentException("system message parts are empty");
  }

  /** A system message of one text. */
  public SystemMessage(String text) {
    this(List.of(ContentPart.text(text)));
  }

  /** The parts' text joined with nothing between them. */
  public String text() {
    if (parts.size() == 1) return parts.get(0).text();
    StringBuilder sb = new StringBuilder();
    for (ContentPart.Text p : parts) sb.append(p.text());
    return sb.toString();
  }
}
