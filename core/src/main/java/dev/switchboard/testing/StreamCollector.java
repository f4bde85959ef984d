package dev.switchboard.testing;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.PartialOutput;
import dev.switchboard.Reasoning;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.internal.StreamAccumulator;
import dev.switchboard.spi.ResponseMetadata;
import java.util.List;
import java.util.Objects;

/**
 * Assembles the events a provider streams into the response they add up to, exactly as core does
 * for a user's stream (text, refusal, tool calls by index, usage, finish reason; a
 * {@link ChatEvent.Reset} clears what came before). For provider tests that drive
 * {@code ChatProvider.stream} or a decoder directly. Not thread-safe.
 */
public final class StreamCollector {
  private final StreamAccumulator accumulator = new StreamAccumulator();

  /** An empty collector. */
  public StreamCollector() {}

  /** Adds one event. */
  public void accept(ChatEvent event) {
    accumulator.accept(Objects.requireNonNull(event, "event == null"));
  }

  /** The events accepted so far, a reset included. */
  public int eventCount() {
    return accumulator.eventCount();
  }

  /** The tool calls assembled so far, in index order. */
  public List<ToolCall> toolCalls() {
    return accumulator.toolCalls();
  }

  /** The reasoning blocks assembled so far, in index order. */
  public List<Reasoning> reasoning() {
    return accumulator.reasoning();
  }

  /** What a user's stream would report as received if it failed now. */
  public PartialOutput partial() {
    return accumulator.partial();
  }

  /** The response the events add up to, with the provider's end-of-stream metadata. */
  public ChatResponse response(TargetRef servedBy, ResponseMetadata meta) {
    return accumulator.response(Objects.requireNonNull(servedBy, "servedBy == null"),
        Objects.requireNonNull(meta, "meta == null"));
  }
}
