package dev.switchboard.examples.app;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application service written on Switchboard, the way a user would: it answers customer
 * questions through one model alias and never lets a provider outage reach the customer. Which
 * cloud answers is Switchboard's business (routing, retry, failover); this class only decides
 * what the customer sees when nothing can answer, or when the question is refused.
 *
 * <p>It takes the {@link Switchboard} in its constructor, so its tests can hand it one built on
 * {@link dev.switchboard.testing.MockProvider}s (see {@code SupportAssistantTest}).
 */
public final class SupportAssistant {
  private static final Logger log = LoggerFactory.getLogger(SupportAssistant.class);

  static final String SYSTEM_PROMPT = "You are the support assistant of Acme Cloud. Answer in at most three sentences.";
  static final String UNAVAILABLE_REPLY = "Sorry, the assistant is unavailable right now. A colleague will answer you by email.";
  static final String REFUSED_REPLY = "Sorry, I can't help with that request.";
  static final int MAX_QUESTION_LENGTH = 4000;

  private final Switchboard switchboard;
  private final String modelAlias;
  private final Duration timeout;

  /** How a question was dealt with. */
  public enum Outcome {
    ANSWERED,
    /** The provider refused the question (content filter, invalid request). */
    REFUSED,
    /** No target could answer: the customer gets a polite message instead. */
    UNAVAILABLE
  }

  /** What the customer sees, and (for the application's own logs) which deployment answered. */
  public record Reply(String text, Outcome outcome, Optional<String> servedBy) {
    public Reply {
      Objects.requireNonNull(text, "text == null");
      Objects.requireNonNull(outcome, "outcome == null");
      Objects.requireNonNull(servedBy, "servedBy == null");
    }
  }

  /** {@code timeout}: how long a customer may wait for an answer, failover included. */
  public SupportAssistant(Switchboard switchboard, String modelAlias, Duration timeout) {
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard == null");
    this.modelAlias = Objects.requireNonNull(modelAlias, "modelAlias == null");
    this.timeout = Objects.requireNonNull(timeout, "timeout == null");
  }

  public Reply answer(String question) {
    try {
      ChatResponse r = switchboard.chat(request(question));
      return new Reply(r.text(), Outcome.ANSWERED, Optional.of(r.servedBy().deployment()));
    } catch (SwitchboardException e) {
      return failed(e);
    }
  }

  /**
   * Streams the answer to {@code onText} as it is generated. Failover before the first token is
   * invisible; a stream that breaks later ends with the unavailable reply appended.
   */
  public Reply answerStreaming(String question, Consumer<String> onText) {
    Objects.requireNonNull(onText, "onText == null");
    StringBuilder shown = new StringBuilder();
    try (ChatStream stream = switchboard.stream(request(question))) {
      for (ChatEvent event : stream) {
        if (event instanceof ChatEvent.TextDelta d) {
          shown.append(d.text());
          onText.accept(d.text());
        }
      }
      ChatResponse r = stream.response().join();
      return new Reply(shown.toString(), Outcome.ANSWERED, Optional.of(r.servedBy().deployment()));
    } catch (SwitchboardException e) {
      Reply failed = failed(e);
      if (shown.length() > 0) onText.accept("\n" + failed.text());
      return failed;
    }
  }

  private ChatRequest request(String question) {
    Objects.requireNonNull(question, "question == null");
    if (question.isBlank()) throw new IllegalArgumentException("the question is empty");
    if (question.length() > MAX_QUESTION_LENGTH) {
      throw new IllegalArgumentException("the question is longer than " + MAX_QUESTION_LENGTH + " characters");
    }
    return ChatRequest.builder(modelAlias).system(SYSTEM_PROMPT).user(question).maxTokens(300).timeout(timeout).build();
  }

  private static Reply failed(SwitchboardException e) {
    if (e.kind() == ErrorKind.CONTENT_FILTERED || e.kind() == ErrorKind.INVALID_REQUEST) {
      return new Reply(REFUSED_REPLY, Outcome.REFUSED, Optional.empty());
    }
    // The exception lists every attempt; its message carries no prompt text or secrets.
    log.warn("no model answered ({}): {}", e.kind(), e.getMessage());
    return new Reply(UNAVAILABLE_REPLY, Outcome.UNAVAILABLE, Optional.empty());
  }
}
