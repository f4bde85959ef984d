package dev.switchboard.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.switchboard.Attempt;
import dev.switchboard.TargetRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * LangChain4j response metadata plus what Switchboard knows about the call: the target that
 * served it, every attempt (failed, skipped, succeeded) in order, warnings about settings a
 * provider could not honour, the provider's request id and its own metadata values.
 * Read it with {@code (SwitchboardChatResponseMetadata) chatResponse.metadata()}.
 */
public final class SwitchboardChatResponseMetadata extends ChatResponseMetadata {
  private final TargetRef servedBy;
  private final List<Attempt> attempts;
  private final List<String> warnings;
  private final Optional<String> requestId;
  private final Map<String, Object> providerMetadata;

  private SwitchboardChatResponseMetadata(Builder builder) {
    super(builder);
    this.servedBy = Objects.requireNonNull(builder.servedBy, "servedBy == null");
    this.attempts = List.copyOf(builder.attempts);
    this.warnings = List.copyOf(builder.warnings);
    this.requestId = builder.requestId;
    this.providerMetadata = Map.copyOf(builder.providerMetadata);
  }

  public TargetRef servedBy() {
    return servedBy;
  }

  public List<Attempt> attempts() {
    return attempts;
  }

  public List<String> warnings() {
    return warnings;
  }

  public Optional<String> requestId() {
    return requestId;
  }

  /** Provider-contributed values (Azure content-filter results, OpenAI's system fingerprint, ...). */
  public Map<String, Object> providerMetadata() {
    return providerMetadata;
  }

  @Override
  public Builder toBuilder() {
    Builder b = new Builder().servedBy(servedBy).attempts(attempts).warnings(warnings)
        .requestId(requestId.orElse(null)).providerMetadata(providerMetadata);
    return (Builder) super.toBuilder(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SwitchboardChatResponseMetadata other && super.equals(o)
        && servedBy.equals(other.servedBy) && attempts.equals(other.attempts);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + servedBy.hashCode();
  }

  @Override
  public String toString() {
    return "SwitchboardChatResponseMetadata[servedBy=" + servedBy + ", attempts=" + attempts
        + ", finishReason=" + finishReason() + ", tokenUsage=" + tokenUsage() + "]";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SwitchboardChatResponseMetadata}. */
  public static final class Builder extends ChatResponseMetadata.Builder<Builder> {
    private TargetRef servedBy;
    private List<Attempt> attempts = List.of();
    private List<String> warnings = List.of();
    private Optional<String> requestId = Optional.empty();
    private Map<String, Object> providerMetadata = Map.of();

    public Builder servedBy(TargetRef servedBy) {
      this.servedBy = servedBy;
      return this;
    }

    public Builder attempts(List<Attempt> attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder warnings(List<String> warnings) {
      this.warnings = warnings;
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = Optional.ofNullable(requestId);
      return this;
    }

    public Builder providerMetadata(Map<String, Object> providerMetadata) {
      this.providerMetadata = providerMetadata;
      return this;
    }

    @Override
    public SwitchboardChatResponseMetadata build() {
      return new SwitchboardChatResponseMetadata(this);
    }
  }
}
