package dev.switchboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's answer: the assistant message, why it stopped (normalised, and as the provider said
 * it), token usage, the model the provider
 * reported, which target served it and every attempt the call made, warnings (settings a
 * provider could not honour, targets skipped), and provider metadata.
 *
 * <p>Metadata values are typed objects contributed by the provider (Azure's content-filter
 * results, Bedrock's reasoning text, OpenAI's system fingerprint); read them with
 * {@link #metadata(String, Class)}.
 */
public record ChatResponse(
    AssistantMessage message,
    FinishReason finishReason,
    Optional<String> rawFinishReason,
    Usage usage,
    String model,
    Optional<String> id,
    TargetRef servedBy,
    List<Attempt> attempts,
    List<String> warnings,
    Optional<String> requestId,
    Optional<RateLimitInfo> rateLimit,
    Map<String, Object> metadata,
    Optional<String> serviceTier) {

  public ChatResponse {
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(finishReason, "finishReason == null");
    Objects.requireNonNull(rawFinishReason, "rawFinishReason == null");
    Objects.requireNonNull(usage, "usage == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(servedBy, "servedBy == null");
    attempts = List.copyOf(attempts);
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(requestId, "requestId == null");
    Objects.requireNonNull(rateLimit, "rateLimit == null");
    metadata = metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    Objects.requireNonNull(serviceTier, "serviceTier == null");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The provider's own finish reason, exactly as it sent it ({@code "stop"}, {@code "length"},
   * {@code "content_filter"} from OpenAI and Azure; {@code "end_turn"}, {@code "guardrail_intervened"}
   * from Bedrock), for values {@link #finishReason()} folds together or into
   * {@link FinishReason#OTHER}. Empty when the provider sent none.
   */
  @Override
  public Optional<String> rawFinishReason() {
    return rawFinishReason;
  }

  /**
   * The processing tier that served the answer, exactly as the provider named it (OpenAI / Azure
   * {@code service_tier}: {@code "default"}, {@code "flex"}, {@code "priority"}, ...; Bedrock
   * {@code serviceTier.type}); it may differ from the {@link ServiceTier} asked for. Empty when the
   * provider did not say.
   */
  @Override
  public Optional<String> serviceTier() {
    return serviceTier;
  }

  /** The assistant's text. */
  public String text() {
    return message.text();
  }

  /** The tool calls the model asked for. */
  public List<ToolCall> toolCalls() {
    return message.toolCalls();
  }

  /** A metadata value of the expected type. */
  public <T> Optional<T> metadata(String key, Class<T> type) {
    Object value = metadata.get(key);
    return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
  }

  @Override
  public String toString() {
    // Completion text stays out of toString: it may hold personal data and lands in logs.
    return "ChatResponse[servedBy=" + servedBy + ", finishReason=" + finishReason + ", usage=" + usage
        + ", toolCalls=" + message.toolCalls().size() + ", attempts=" + attempts.size() + "]";
  }

  /** Builds a {@link ChatResponse}; providers fill what they know, core adds the attempts. */
  public static final class Builder {
    private AssistantMessage message = AssistantMessage.of("");
    private FinishReason finishReason = FinishReason.STOP;
    private Optional<String> rawFinishReason = Optional.empty();
    private Usage usage = Usage.EMPTY;
    private String model = "";
    private Optional<String> id = Optional.empty();
    private TargetRef servedBy;
    private List<Attempt> attempts = List.of();
    private final List<String> warnings = new ArrayList<>();
    private Optional<String> requestId = Optional.empty();
    private Optional<RateLimitInfo> rateLimit = Optional.empty();
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private Optional<String> serviceTier = Optional.empty();

    private Builder() {}

    private Builder(ChatResponse r) {
      message = r.message;
      finishReason = r.finishReason;
      rawFinishReason = r.rawFinishReason;
      usage = r.usage;
      model = r.model;
      id = r.id;
      servedBy = r.servedBy;
      attempts = r.attempts;
      warnings.addAll(r.warnings);
      requestId = r.requestId;
      rateLimit = r.rateLimit;
      metadata.putAll(r.metadata);
      serviceTier = r.serviceTier;
    }

    public Builder message(AssistantMessage message) {
      this.message = Objects.requireNonNull(message, "message == null");
      return this;
    }

    public Builder finishReason(FinishReason finishReason) {
      this.finishReason = Objects.requireNonNull(finishReason, "finishReason == null");
      return this;
    }

    /** The finish reason exactly as the provider sent it; {@code null} or blank for none. */
    public Builder rawFinishReason(String rawFinishReason) {
      this.rawFinishReason = Optional.ofNullable(rawFinishReason).filter(r -> !r.isBlank());
      return this;
    }

    public Builder usage(Usage usage) {
      this.usage = Objects.requireNonNull(usage, "usage == null");
      return this;
    }

    public Builder model(String model) {
      this.model = model == null ? "" : model;
      return this;
    }

    public Builder id(String id) {
      this.id = Optional.ofNullable(id);
      return this;
    }

    public Builder servedBy(TargetRef servedBy) {
      this.servedBy = Objects.requireNonNull(servedBy, "servedBy == null");
      return this;
    }

    public Builder attempts(List<Attempt> attempts) {
      this.attempts = List.copyOf(attempts);
      return this;
    }

    public Builder warning(String warning) {
      warnings.add(Objects.requireNonNull(warning, "warning == null"));
      return this;
    }

    public Builder warnings(List<String> warnings) {
      warnings.forEach(this::warning);
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = Optional.ofNullable(requestId);
      return this;
    }

    public Builder rateLimit(RateLimitInfo rateLimit) {
      this.rateLimit = Optional.ofNullable(rateLimit).filter(RateLimitInfo::isKnown);
      return this;
    }

    public Builder metadata(String key, Object value) {
      metadata.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
      return this;
    }

    /** The tier that served the answer, as the provider named it; {@code null} or blank for none. */
    public Builder serviceTier(String serviceTier) {
      this.serviceTier = Optional.ofNullable(serviceTier).filter(t -> !t.isBlank());
      return this;
    }

    public ChatResponse build() {
      return new ChatResponse(message, finishReason, rawFinishReason, usage, model, id, servedBy, attempts, warnings,
          requestId, rateLimit, metadata, serviceTier);
    }
  }
}
