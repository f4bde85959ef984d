package dev.switchboard.internal;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.PartialOutput;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import dev.switchboard.spi.ResponseMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Assembles stream events into the text, tool calls, usage and finish reason they add up to. Not thread-safe. */
public final class StreamAccumulator {
  private final StringBuilder text = new StringBuilder();
  private final TreeMap<Integer, ToolCallParts> toolCalls = new TreeMap<>();
  private Usage usage;
  private FinishReason finishReason;
  private int events;

  public void accept(ChatEvent event) {
    events++;
    if (event instanceof ChatEvent.TextDelta d) {
      text.append(d.text());
    } else if (event instanceof ChatEvent.ToolCallDelta d) {
      ToolCallParts parts = toolCalls.computeIfAbsent(d.index(), i -> new ToolCallParts());
      d.id().ifPresent(id -> parts.id = id);
      d.name().ifPresent(name -> parts.name = name);
      parts.arguments.append(d.argumentsFragment());
    } else if (event instanceof ChatEvent.UsageUpdate u) {
      usage = u.usage();
    } else if (event instanceof ChatEvent.Finish f) {
      finishReason = f.reason();
    } else if (event instanceof ChatEvent.Reset) {
      reset();
    }
  }

  public int eventCount() {
    return events;
  }

  public void reset() {
    text.setLength(0);
    toolCalls.clear();
    usage = null;
    finishReason = null;
  }

  public List<ToolCall> toolCalls() {
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    toolCalls.values().forEach(p -> calls.add(new ToolCall(p.id, p.name, p.arguments.toString())));
    return calls;
  }

  public PartialOutput partial() {
    return new PartialOutput(text.toString(), toolCalls(), Optional.ofNullable(usage));
  }

  public ChatResponse response(TargetRef servedBy, ResponseMetadata meta) {
    List<ToolCall> calls = toolCalls();
    FinishReason reason = finishReason != null ? finishReason : calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    ChatResponse.Builder b = ChatResponse.builder()
        .message(AssistantMessage.of(text.toString(), calls))
        .finishReason(reason)
        .rawFinishReason(meta.rawFinishReason().orElse(null))
        .usage(usage == null ? Usage.EMPTY : usage)
        .model(meta.model())
        .servedBy(servedBy)
        .warnings(meta.warnings());
    meta.id().ifPresent(b::id);
    meta.requestId().ifPresent(b::requestId);
    meta.rateLimit().ifPresent(b::rateLimit);
    meta.metadata().forEach(b::metadata);
    return b.build();
  }

  private static final class ToolCallParts {
    String id = "";
    String name = "";
    final StringBuilder arguments = new StringBuilder();
  }
}
