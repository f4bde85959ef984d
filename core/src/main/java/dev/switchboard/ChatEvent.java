package dev.switchboard;

import java.util.Objects;
import java.util.Optional;

/**
 * One event of a streamed answer. Text arrives as {@link TextDelta}s; a tool call as
 * {@link ToolCallDelta}s sharing an index (id and name on the first, arguments in fragments);
 * a refusal (the model declining to answer) as {@link RefusalDelta}s; {@link UsageUpdate} and
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
