package dev.switchboard;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One event of a streamed answer. Text arrives as {@link TextDelta}s; a tool call as
 * {@link ToolCallDelta}s sharing an index (id and name on the first, arguments in fragments);
 * a refusal (the model declining to answer) as {@link RefusalDelta}s; the model's reasoning as
 * {@link ReasoningDelta}s sharing an index per reasoning block; {@link UsageUpdate} and
 * {@link Finish} near the end. {@link Reset} appears only when the caller
 * opted in to restarting a broken stream on another target: discard everything shown so far.
 */
public sealed interface ChatEvent {

  /** A fragment of the assistant's text. */
  record TextDelta(String text) implements ChatEvent {
    public TextDelta {
      Objects.requireNonNull(text, "text == null");
    }
  }

  /**
   * A fragment of the model's refusal text (OpenAI and Azure stream {@code delta.refusal}). The
   * fragments, joined, are the final response's {@link AssistantMessage#refusal()}.
   */
  record RefusalDelta(String text) implements ChatEvent {
    public RefusalDelta {
      Objects.requireNonNull(text, "text == null");
    }
  }

  /**
   * A fragment of reasoning block number {@code index} (dense from 0 in order of appearance), of
   * the {@code wire} it came from. {@code text} is a fragment of the block's text or, with a
   * {@code summaryIndex}, of that summary part (Responses API); fragments are joined in order.
   * {@code id}, {@code signature} and {@code encryptedContent} are whole values (the last one
   * sent wins), usually on the block's first or last delta. Joined, the deltas of one index are the
   * final response's {@link AssistantMessage#reasoning()} block; they count toward the stream's
   * size limit as text does.
   */
  record ReasoningDelta(int index, Reasoning.Wire wire, String text, OptionalInt summaryIndex, Optional<String> id,
      Optional<String> signature, Optional<String> encryptedContent) implements ChatEvent {
    public ReasoningDelta {
      if (index < 0) throw new IllegalArgumentException("index < 0");
      Objects.requireNonNull(wire, "wire == null");
      Objects.requireNonNull(text, "text == null");
      Objects.requireNonNull(summaryIndex, "summaryIndex == null");
      if (summaryIndex.isPresent() && summaryIndex.getAsInt() < 0) throw new IllegalArgumentException("summaryIndex < 0");
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(signature, "signature == null");
      Objects.requireNonNull(encryptedContent, "encryptedContent == null");
    }

    /** A fragment of block {@code index}'s text. */
    public static ReasoningDelta text(int index, Reasoning.Wire wire, String text) {
      return new ReasoningDelta(index, wire, text, OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A fragment of summary part {@code summaryIndex} of block {@code index} (Responses API). */
    public static ReasoningDelta summary(int index, int summaryIndex, String text) {
      return new ReasoningDelta(index, Reasoning.Wire.RESPONSES, text, OptionalInt.of(summaryIndex), Optional.empty(),
          Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
      // Opaque values are printed as lengths only, like Reasoning's.
      return "ReasoningDelta[" + index + ", " + wire + ", text=" + text.length() + " chars"
          + (summaryIndex.isPresent() ? ", summaryIndex=" + summaryIndex.getAsInt() : "") + id.map(i -> ", id=" + i).orElse("")
          + signature.map(v -> ", signature=" + v.length() + " chars").orElse("")
          + encryptedContent.map(v -> ", encryptedContent=" + v.length() + " chars").orElse("") + "]";
    }
  }

  /** A fragment of tool call number {@code index}. */
  record ToolCallDelta(int index, Optional<String> id, Optional<String> name, String argumentsFragment)
      implements ChatEvent {
    public ToolCallDelta {
      if (index < 0) throw new IllegalArgumentException("index < 0");
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(argumentsFragment, "argumentsFragment == null");
    }
  }

  /** Token usage for the whole answer. */
  record UsageUpdate(Usage usage) implements ChatEvent {
    public UsageUpdate {
      Objects.requireNonNull(usage, "usage == null");
    }
  }

  /** The model finished, and why. */
  record Finish(FinishReason reason) implements ChatEvent {
    public Finish {
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /** The stream restarted on {@code target} after a break; forget all earlier events. */
  record Reset(TargetRef target, ErrorKind cause) implements ChatEvent {
    public Reset {
      Objects.requireNonNull(target, "target == null");
      Objects.requireNonNull(cause, "cause == null");
    }
  }
}
