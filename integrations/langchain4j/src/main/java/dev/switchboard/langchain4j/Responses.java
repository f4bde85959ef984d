package dev.switchboard.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import java.util.ArrayList;
import java.util.List;

/** Switchboard's answer as LangChain4j's {@link ChatResponse}. */
final class Responses {
  private Responses() {}

  static ChatResponse toLangChain4j(dev.switchboard.ChatResponse r) {
    SwitchboardChatResponseMetadata metadata = SwitchboardChatResponseMetadata.builder()
        .servedBy(r.servedBy())
        .attempts(r.attempts())
        .warnings(r.warnings())
        .requestId(r.requestId().orElse(null))
        .providerMetadata(r.metadata())
        .id(r.id().orElse(null))
        .modelName(r.model().isEmpty() ? r.servedBy().model() : r.model())
        .tokenUsage(tokenUsage(r.usage()))
        .finishReason(finishReason(r.finishReason()))
        .build();
    return ChatResponse.builder().aiMessage(aiMessage(r)).metadata(metadata).build();
  }

  static AiMessage aiMessage(dev.switchboard.ChatResponse r) {
    List<ToolExecutionRequest> requests = new ArrayList<>();
    for (ToolCall c : r.toolCalls()) requests.add(toolExecutionRequest(c));
    // A refusal is the model's answer text as far as LangChain4j is concerned.
    String text = r.text().isEmpty() ? r.message().refusal().orElse(null) : r.text();
    AiMessage.Builder b = AiMessage.builder().text(text);
    if (!requests.isEmpty()) b.toolExecutionRequests(requests);
    return b.build();
  }

  static ToolExecutionRequest toolExecutionRequest(ToolCall c) {
    return ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build();
  }

  static TokenUsage tokenUsage(Usage u) {
    return new TokenUsage(u.inputTokens(), u.outputTokens(), u.totalTokens());
  }

  static FinishReason finishReason(dev.switchboard.FinishReason f) {
    return switch (f) {
      case STOP -> FinishReason.STOP;
      case LENGTH -> FinishReason.LENGTH;
      case TOOL_CALLS -> FinishReason.TOOL_EXECUTION;
      case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
      case OTHER -> FinishReason.OTHER;
    };
  }
}
