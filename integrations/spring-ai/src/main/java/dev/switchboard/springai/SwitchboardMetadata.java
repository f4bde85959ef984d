package dev.switchboard.springai;

import dev.switchboard.Attempt;
import dev.switchboard.TargetRef;
import java.util.List;
import java.util.Optional;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * The keys under which a {@link SwitchboardChatModel} puts Switchboard's own facts into a Spring
 * AI {@link ChatResponseMetadata}, and typed readers for them. Provider metadata (Azure's
 * content-filter results, Bedrock's reasoning text, ...) is copied under its own keys.
 */
public final class SwitchboardMetadata {
  /** The {@link TargetRef} that served the answer. */
  public static final String SERVED_BY = "switchboard.served-by";
  /** Every {@link Attempt} the call made, in order, skipped targets included. */
  public static final String ATTEMPTS = "switchboard.attempts";
  /** Settings a provider could not honour and targets skipped ({@code List<String>}). */
  public static final String WARNINGS = "switchboard.warnings";
  /** The provider's request id of the attempt that served. */
  public static final String REQUEST_ID = "switchboard.request-id";

  private SwitchboardMetadata() {}

  public static Optional<TargetRef> servedBy(ChatResponse response) {
    return Optional.ofNullable(response.getMetadata().get(SERVED_BY));
  }

  public static List<Attempt> attempts(ChatResponse response) {
    List<Attempt> attempts = response.getMetadata().get(ATTEMPTS);
    return attempts == null ? List.of() : attempts;
  }

  public static List<String> warnings(ChatResponse response) {
    List<String> warnings = response.getMetadata().get(WARNINGS);
    return warnings == null ? List.of() : warnings;
  }
}
