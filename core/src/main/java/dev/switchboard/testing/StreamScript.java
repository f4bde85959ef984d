package dev.switchboard.testing;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.TargetRef;
import dev.switchboard.internal.StreamAccumulator;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link MockProvider} streams: events with optional delays between them, then a normal
 * end, a failure, or a hang (the stream stays open until cancelled). A normal end appends a
 * {@code Finish(STOP)} if the script has no finish event.
 */
public final class StreamScript {
  /** One scripted element: an event or a pause. */
  sealed interface Step permits Emit, Pause {}

  record Emit(ChatEvent event) implements Step {}

  record Pause(Duration delay) implements Step {}

  final List<Step> steps;
  final Optional<SwitchboardException> failure;
  final boolean hang;

  private StreamScript(List<Step> steps, Optional<SwitchboardException> failure, boolean hang) {
    this.steps = List.copyOf(steps);
    this.failure = failure;
    this.hang = hang;
  }

  /** The non-streaming answer this script adds up to (for a mock asked to chat with a stream script). */
  ChatResponse assemble(TargetRef target) {
    StreamAccumulator acc = new StreamAccumulator();
    for (Step s : steps) {
      if (s instanceof Emit e) acc.accept(e.event());
    }
    return acc.response(target, ResponseMetadata.EMPTY);
  }

  /** A stream of text deltas that ends normally. */
  public static StreamScript text(String... deltas) {
    Builder b = builder();
    for (String d : deltas) b.text(d);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link StreamScript}. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private boolean finished;

    private Builder() {}

    public Builder text(String delta) {
      steps.add(new Emit(new ChatEvent.TextDelta(delta)));
      return this;
    }

    /** A fragment of a refusal, as OpenAI and Azure stream one. */
    public Builder refusal(String delta) {
      steps.add(new Emit(new ChatEvent.RefusalDelta(delta)));
      return this;
    }

    public Builder toolCall(int index, String id, String name, String argumentsFragment) {
      steps.add(new Emit(new ChatEvent.ToolCallDelta(index, Optional.ofNullable(id), Optional.ofNullable(name), argumentsFragment)));
      return this;
    }

    public Builder usage(int inputTokens, int outputTokens) {
      steps.add(new Emit(new ChatEvent.UsageUpdate(Usage.of(inputTokens, outputTokens))));
      return this;
    }

    public Builder finish(FinishReason reason) {
      steps.add(new Emit(new ChatEvent.Finish(reason)));
      finished = true;
      return this;
    }

    public Builder event(ChatEvent event) {
      steps.add(new Emit(Objects.requireNonNull(event, "event == null")));
      if (event instanceof ChatEvent.Finish) finished = true;
      return this;
    }

    /** Waits {@code delay} (on the injected scheduler) before the next step. */
    public Builder delay(Duration delay) {
      steps.add(new Pause(Objects.requireNonNull(delay, "delay == null")));
      return this;
    }

    /** Ends normally. */
    public StreamScript build() {
      List<Step> all = new ArrayList<>(steps);
      if (!finished) all.add(new Emit(new ChatEvent.Finish(FinishReason.STOP)));
      return new StreamScript(all, Optional.empty(), false);
    }

    /** Ends with a failure of {@code kind} after the scripted steps. */
    public StreamScript fail(ErrorKind kind) {
      return new StreamScript(steps, Optional.of(MockProvider.error(kind)), false);
    }

    /** Ends with {@code error} after the scripted steps. */
    public StreamScript fail(SwitchboardException error) {
      return new StreamScript(steps, Optional.of(error), false);
    }

    /** Stays open after the scripted steps until the call is cancelled. */
    public StreamScript hang() {
      return new StreamScript(steps, Optional.empty(), true);
    }
  }
}
