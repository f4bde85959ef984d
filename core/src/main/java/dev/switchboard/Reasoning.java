package dev.switchboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The model's reasoning for one assistant turn, as one block (Bedrock {@code reasoningContent})
 * or item (Responses API {@code reasoning}) of the answer: its readable {@link #text()} and/or
 * {@link #summary()}, and the opaque values the provider needs to accept it back, kept unchanged:
 * Bedrock's {@link #signature()}, Bedrock's {@code redactedContent} or the Responses API's
 * {@code encrypted_content} as {@link #encryptedContent()}, the Responses item {@link #id()}.
 *
 * <p>{@link #wire()} says which wire format produced it. A provider sends reasoning back only to
 * the wire it came from; reasoning of another wire is dropped from the request with a warning on
 * the response (a signature or encrypted blob means nothing to another service, and a model from
 * another vendor reasons anew from the visible conversation). See the README, "Reasoning across
 * APIs".
 *
 * <p>Opaque values and the reasoning text never appear in {@link #toString()}: only their lengths.
 */
public record Reasoning(
    Wire wire,
    String text,
    List<String> summary,
    Optional<String> id,
    Optional<String> signature,
    Optional<String> encryptedContent) {

  /** The wire format a reasoning block came from, and the only one it is sent back to. */
  public enum Wire {
    /** Bedrock Converse {@code reasoningContent}: {@code reasoningText} (text, signature) or {@code redactedContent}. */
    CONVERSE,
    /** Chat Completions {@code reasoning_content} / {@code reasoning} of OpenAI-compatible servers: text only. */
    CHAT_COMPLETIONS,
    /** Responses API {@code reasoning} items: id, summary, {@code content} text, {@code encrypted_content}. */
    RESPONSES
  }

  public Reasoning {
    Objects.requireNonNull(wire, "wire == null");
    Objects.requireNonNull(text, "text == null");
    summary = List.copyOf(summary);
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(signature, "signature == null");
    Objects.requireNonNull(encryptedContent, "encryptedContent == null");
    if (id.isPresent() && id.get().isBlank()) throw new IllegalArgumentException("reasoning id is blank");
    if (signature.isPresent() && signature.get().isBlank()) throw new IllegalArgumentException("reasoning signature is blank");
    if (encryptedContent.isPresent() && encryptedContent.get().isEmpty()) {
      throw new IllegalArgumentException("reasoning encryptedContent is empty");
    }
    if (!summary.isEmpty() && wire != Wire.RESPONSES) throw new IllegalArgumentException("a reasoning summary is a Responses API field");
    if (id.isPresent() && wire != Wire.RESPONSES) throw new IllegalArgumentException("a reasoning id is a Responses API field");
    if (signature.isPresent() && wire != Wire.CONVERSE) throw new IllegalArgumentException("a reasoning signature is a Bedrock Converse field");
    switch (wire) {
      case CONVERSE -> {
        // reasoningContent is a union: reasoningText (text, signature) or redactedContent, never both.
        if (encryptedContent.isPresent() && (!text.isEmpty() || signature.isPresent())) {
          throw new IllegalArgumentException("Bedrock reasoning is either text (with its signature) or redacted content, not both");
        }
        if (encryptedContent.isEmpty() && text.isEmpty() && signature.isEmpty()) {
          throw new IllegalArgumentException("Bedrock reasoning has no text, signature or redacted content");
        }
      }
      case CHAT_COMPLETIONS -> {
        if (encryptedContent.isPresent()) throw new IllegalArgumentException("Chat Completions reasoning has no encrypted content");
        if (text.isEmpty()) throw new IllegalArgumentException("Chat Completions reasoning text is empty");
      }
      case RESPONSES -> {
        // The API requires the item id on input; with store: true the id alone refers to the stored item.
        if (id.isEmpty()) throw new IllegalArgumentException("a Responses API reasoning item needs its id");
      }
    }
    for (String s : summary) Objects.requireNonNull(s, "summary part == null");
  }

  /** Reasoning text alone, e.g. from a Chat Completions {@code reasoning_content}. */
  public static Reasoning text(Wire wire, String text) {
    return builder(wire).text(text).build();
  }

  public static Builder builder(Wire wire) {
    return new Builder(wire);
  }

  public Builder toBuilder() {
    Builder b = new Builder(wire).text(text).id(id.orElse(null)).signature(signature.orElse(null))
        .encryptedContent(encryptedContent.orElse(null));
    summary.forEach(b::summary);
    return b;
  }

  /** What a reader shows: the text, or else the summary parts joined by a blank line; "" for redacted reasoning. */
  public String readableText() {
    return text.isEmpty() ? String.join("\n\n", summary) : text;
  }

  /** Whether the readable text is withheld (Bedrock {@code redactedContent}, or encrypted content without text or summary). */
  public boolean isRedacted() {
    return text.isEmpty() && summary.isEmpty() && encryptedContent.isPresent();
  }

  @Override
  public String toString() {
    return "Reasoning[" + wire + ", text=" + text.length() + " chars, summary=" + summary.size() + " parts"
        + id.map(i -> ", id=" + i).orElse("")
        + signature.map(s -> ", signature=" + s.length() + " chars").orElse("")
        + encryptedContent.map(e -> ", encryptedContent=" + e.length() + " chars").orElse("") + "]";
  }

  /** Builds a {@link Reasoning}; validated by {@link #build()}. */
  public static final class Builder {
    private final Wire wire;
    private String text = "";
    private final List<String> summary = new ArrayList<>();
    private String id;
    private String signature;
    private String encryptedContent;

    private Builder(Wire wire) {
      this.wire = Objects.requireNonNull(wire, "wire == null");
    }

    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text == null");
      return this;
    }

    /** Adds one summary part (Responses API {@code summary_text}). */
    public Builder summary(String part) {
      summary.add(Objects.requireNonNull(part, "part == null"));
      return this;
    }

    /** The Responses API item id; {@code null} for none. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Bedrock's signature of the reasoning text; {@code null} for none. */
    public Builder signature(String signature) {
      this.signature = signature;
      return this;
    }

    /** Bedrock {@code redactedContent} (base64) or Responses {@code encrypted_content}; {@code null} for none. */
    public Builder encryptedContent(String encryptedContent) {
      this.encryptedContent = encryptedContent;
      return this;
    }

    public Reasoning build() {
      return new Reasoning(wire, text, summary, Optional.ofNullable(id), Optional.ofNullable(signature),
          Optional.ofNullable(encryptedContent));
    }
  }
}
