package dev.switchboard.internal;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.PartialOutput;
import dev.switchboard.Reasoning;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import dev.switchboard.spi.ResponseMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Assembles stream events into the text, refusal, reasoning, tool calls, usage and finish reason
 * they add up to, and counts the UTF-8 bytes it holds ({@link #bytes()}) so that the caller can bound them.
 * Not thread-safe.
 */
public final class StreamAccumulator {
  private final StringBuilder text = new StringBuilder();
  /** Null until a refusal delta arrives: most answers have none. */
  private StringBuilder refusal;
  private final TreeMap<Integer, ToolCallParts> toolCalls = new TreeMap<>();
  /** Null until a reasoning delta arrives: most answers have none. */
  private TreeMap<Integer, ReasoningParts> reasoning;
  private Usage usage;
  private FinishReason finishReason;
  private int events;
  private long bytes;

  public void accept(ChatEvent event) {
    accept(event, bytes(event));
  }

  /** As {@link #accept(ChatEvent)}, with {@code size} = {@link #bytes(ChatEvent)} already measured by the caller. */
  void accept(ChatEvent event, long size) {
    events++;
    bytes += size;
    if (event instanceof ChatEvent.TextDelta d) {
      text.append(d.text());
    } else if (event instanceof ChatEvent.RefusalDelta d) {
      if (refusal == null) refusal = new StringBuilder();
      refusal.append(d.text());
    } else if (event instanceof ChatEvent.ReasoningDelta d) {
      if (reasoning == null) reasoning = new TreeMap<>();
      reasoning.computeIfAbsent(d.index(), i -> new ReasoningParts(d.wire())).add(d);
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

  /**
   * The UTF-8 size of the text, refusal, reasoning (text, summaries, ids, signatures, encrypted
   * content) and tool-call ids, names and arguments held (since the last reset).
   */
  public long bytes() {
    return bytes;
  }

  /** What {@code event} adds to {@link #bytes()} (a Reset, which clears it, adds nothing). */
  public static long bytes(ChatEvent event) {
    if (event instanceof ChatEvent.TextDelta d) return utf8Length(d.text());
    if (event instanceof ChatEvent.RefusalDelta d) return utf8Length(d.text());
    if (event instanceof ChatEvent.ReasoningDelta d) {
      return utf8Length(d.text()) + d.id().map(StreamAccumulator::utf8Length).orElse(0L)
          + d.signature().map(StreamAccumulator::utf8Length).orElse(0L)
          + d.encryptedContent().map(StreamAccumulator::utf8Length).orElse(0L);
    }
    if (event instanceof ChatEvent.ToolCallDelta d) {
      return utf8Length(d.argumentsFragment()) + d.id().map(StreamAccumulator::utf8Length).orElse(0L)
          + d.name().map(StreamAccumulator::utf8Length).orElse(0L);
    }
    return 0;
  }

  /** The UTF-8 length of {@code s}: a surrogate pair counts 4 bytes (an unpaired surrogate 2, a slight undercount). */
  static long utf8Length(String s) {
    long n = s.length();
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
    }
    return n;
  }

  public int eventCount() {
    return events;
  }

  public void reset() {
    bytes = 0;
    text.setLength(0);
    refusal = null;
    reasoning = null;
    toolCalls.clear();
    usage = null;
    finishReason = null;
  }

  public List<ToolCall> toolCalls() {
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    toolCalls.values().forEach(p -> calls.add(new ToolCall(p.id, p.name, p.arguments.toString())));
    return calls;
  }

  /** The reasoning blocks so far, in index order; a block that says nothing its wire can carry is left out. */
  public List<Reasoning> reasoning() {
    if (reasoning == null) return List.of();
    List<Reasoning> out = new ArrayList<>(reasoning.size());
    for (ReasoningParts p : reasoning.values()) {
      Reasoning r = p.build();
      if (r != null) out.add(r);
    }
    return out;
  }

  public PartialOutput partial() {
    return new PartialOutput(text.toString(), toolCalls(), Optional.ofNullable(usage));
  }

  public ChatResponse response(TargetRef servedBy, ResponseMetadata meta) {
    List<ToolCall> calls = toolCalls();
    FinishReason reason = finishReason != null ? finishReason : calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    ChatResponse.Builder b = ChatResponse.builder()
        .message(new AssistantMessage(text.toString(), calls, Optional.ofNullable(refusal).map(StringBuilder::toString))
            .withReasoning(reasoning()))
        .finishReason(reason)
        .rawFinishReason(meta.rawFinishReason().orElse(null))
        .usage(usage == null ? Usage.EMPTY : usage)
        .model(meta.model())
        .servedBy(servedBy)
        .warnings(meta.warnings());
    meta.id().ifPresent(b::id);
    meta.requestId().ifPresent(b::requestId);
    meta.rateLimit().ifPresent(b::rateLimit);
    meta.serviceTier().ifPresent(b::serviceTier);
    meta.metadata().forEach(b::metadata);
    return b.build();
  }

  /** One reasoning block's deltas: text and summary fragments joined, whole values replaced. */
  private static final class ReasoningParts {
    final Reasoning.Wire wire;
    final StringBuilder text = new StringBuilder();
    final List<StringBuilder> summary = new ArrayList<>(0);
    String id;
    String signature;
    String encrypted;

    ReasoningParts(Reasoning.Wire wire) {
      this.wire = wire;
    }

    void add(ChatEvent.ReasoningDelta d) {
      if (d.summaryIndex().isPresent()) {
        int i = d.summaryIndex().getAsInt();
        // Summary parts are numbered densely by the server; a gap would be filled with empty parts.
        while (summary.size() <= i) summary.add(new StringBuilder());
        summary.get(i).append(d.text());
      } else {
        text.append(d.text());
      }
      d.id().ifPresent(v -> id = v);
      d.signature().ifPresent(v -> signature = v);
      d.encryptedContent().ifPresent(v -> encrypted = v);
    }

    /** The block, or null when what arrived does not make one (e.g. deltas of another wire's fields). */
    Reasoning build() {
      Reasoning.Builder b = Reasoning.builder(wire).text(text.toString()).id(id).signature(signature)
          .encryptedContent(encrypted == null || encrypted.isEmpty() ? null : encrypted);
      summary.forEach(s -> b.summary(s.toString()));
      try {
        return b.build();
      } catch (IllegalArgumentException notABlock) {
        return null;
      }
    }
  }

  private static final class ToolCallParts {
    String id = "";
    String name = "";
    final StringBuilder arguments = new StringBuilder();
  }
}
