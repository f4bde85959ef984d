package dev.switchboard.springai;

import dev.switchboard.RateLimitInfo;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.RateLimit;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/** Switchboard's answer as Spring AI's {@link ChatResponse}: one generation, metadata with who served. */
final class Responses {
  private Responses() {}

  static ChatResponse toSpringAi(dev.switchboard.ChatResponse r) {
    return toSpringAi(r, text(r));
  }

  /** {@code text} replaces the answer's text: a stream's last response carries none, its deltas did. */
  static ChatResponse toSpringAi(dev.switchboard.ChatResponse r, String text) {
    List<AssistantMessage.ToolCall> calls = new ArrayList<>();
    for (ToolCall c : r.toolCalls()) calls.add(toolCall(c));
    AssistantMessage.Builder<?> message = AssistantMessage.builder().content(text);
    if (!calls.isEmpty()) message.toolCalls(calls);
    Generation generation = new Generation(message.build(),
        ChatGenerationMetadata.builder().finishReason(r.finishReason().name()).build());
    return new ChatResponse(List.of(generation), metadata(r));
  }

  static String text(dev.switchboard.ChatResponse r) {
    // A refusal is the model's answer text as far as Spring AI is concerned.
    return r.text().isEmpty() ? r.message().refusal().orElse("") : r.text();
  }

  static AssistantMessage.ToolCall toolCall(ToolCall c) {
    return new AssistantMessage.ToolCall(c.id(), "function", c.name(), c.arguments());
  }

  static ChatResponseMetadata metadata(dev.switchboard.ChatResponse r) {
    ChatResponseMetadata.Builder b = ChatResponseMetadata.builder()
        .model(r.model().isEmpty() ? r.servedBy().model() : r.model())
        .usage(usage(r.usage()));
    r.id().ifPresent(b::id);
    r.rateLimit().ifPresent(l -> b.rateLimit(new SwitchboardRateLimit(l)));
    for (Map.Entry<String, Object> e : r.metadata().entrySet()) b.keyValue(e.getKey(), e.getValue());
    b.keyValue(SwitchboardMetadata.SERVED_BY, r.servedBy());
    b.keyValue(SwitchboardMetadata.ATTEMPTS, r.attempts());
    b.keyValue(SwitchboardMetadata.WARNINGS, r.warnings());
    r.requestId().ifPresent(id -> b.keyValue(SwitchboardMetadata.REQUEST_ID, id));
    return b.build();
  }

  static DefaultUsage usage(Usage u) {
    Long cacheRead = u.cachedInputTokens().isPresent() ? (long) u.cachedInputTokens().getAsInt() : null;
    Long cacheWrite = u.cacheWriteInputTokens().isPresent() ? (long) u.cacheWriteInputTokens().getAsInt() : null;
    return new DefaultUsage(u.inputTokens(), u.outputTokens(), u.totalTokens(), u, cacheRead, cacheWrite);
  }

  /** Spring AI's view of the rate-limit headers; absent parts read as null, as in its own models. */
  record SwitchboardRateLimit(RateLimitInfo info) implements RateLimit {
    @Override
    public Long getRequestsLimit() {
      return value(info.limitRequests());
    }

    @Override
    public Long getRequestsRemaining() {
      return value(info.remainingRequests());
    }

    @Override
    public Duration getRequestsReset() {
      return info.resetRequests().orElse(null);
    }

    @Override
    public Long getTokensLimit() {
      return value(info.limitTokens());
    }

    @Override
    public Long getTokensRemaining() {
      return value(info.remainingTokens());
    }

    @Override
    public Duration getTokensReset() {
      return info.resetTokens().orElse(null);
    }

    private static Long value(OptionalLong v) {
      return v.isPresent() ? v.getAsLong() : null;
    }
  }
}
