package dev.switchboard.springai;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A Spring AI {@link ChatModel} and {@link StreamingChatModel} that answers through a
 * {@link Switchboard} model alias, so routing, retries, circuit breakers and failover apply to
 * every call Spring AI makes ({@code ChatClient} included). The Switchboard is not owned: close
 * it yourself (the Spring Boot starter does).
 *
 * <p>Tools: the definitions are resolved from the prompt's {@code ToolCallingChatOptions}
 * through a {@link ToolCallingManager} and sent with the request; the model answers with the
 * tool calls it wants. Running them is {@code ChatClient}'s {@code ToolCallingAdvisor}, as for
 * every Spring AI 2 model (their own internal execution is deprecated since 2.0).
 *
 * <p>Options: the prompt's options, or this model's defaults when the prompt has none (what
 * {@code ChatClient} sends is already merged with {@link #getOptions()}). The options' model is
 * the Switchboard alias. Each response has one generation whose finish reason is Switchboard's
 * ({@code STOP}, {@code LENGTH}, {@code TOOL_CALLS}, {@code CONTENT_FILTER}, {@code OTHER});
 * its metadata names the target that served and the attempts (see {@link SwitchboardMetadata}).
 *
 * <p>Errors: {@code TransientAiException} or {@code NonTransientAiException} by
 * {@link dev.switchboard.ErrorKind} (see {@link Errors}), the {@link SwitchboardException} as cause;
 * a request Switchboard rejects before sending (unknown alias, a bad value) is an
 * {@link IllegalArgumentException} naming the field.
 *
 * <p>Streaming: failover is invisible until the first text reaches the subscriber. Text arrives
 * as one response per delta; the last response carries no text but the complete tool calls,
 * finish reason, usage and metadata. Cancelling the subscription closes the Switchboard stream
 * and its connection.
 */
public final class SwitchboardChatModel implements ChatModel, StreamingChatModel {
  private static final ToolCallingManager DEFAULT_TOOL_CALLING_MANAGER = ToolCallingManager.builder().build();

  private final Switchboard switchboard;
  private final String alias;
  private final SwitchboardChatOptions defaults;
  private final ToolCallingManager toolCallingManager;

  private SwitchboardChatModel(Builder b) {
    this.switchboard = Objects.requireNonNull(b.switchboard, "switchboard == null");
    if (b.alias == null || b.alias.isBlank()) throw new IllegalArgumentException("alias is blank: name a model alias");
    this.alias = b.alias;
    SwitchboardChatOptions given = b.defaults == null ? SwitchboardChatOptions.builder().build() : b.defaults;
    this.defaults = given.getModel() == null ? given.mutate().model(alias).build() : given;
    this.toolCallingManager = b.toolCallingManager == null ? DEFAULT_TOOL_CALLING_MANAGER : b.toolCallingManager;
  }

  /** A model for {@code alias}, one of the model aliases configured on {@code switchboard}. */
  public static SwitchboardChatModel of(Switchboard switchboard, String alias) {
    return builder().switchboard(switchboard).alias(alias).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChatResponse call(Prompt prompt) {
    Objects.requireNonNull(prompt, "prompt == null");
    dev.switchboard.ChatRequest request = Prompts.toSwitchboard(prompt, options(prompt), alias, toolCallingManager);
    try {
      return Responses.toSpringAi(switchboard.chat(request));
    } catch (SwitchboardException e) {
      throw Errors.map(e);
    }
  }

  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    Objects.requireNonNull(prompt, "prompt == null");
    return Flux.create(sink -> {
      ChatStream stream;
      try {
        stream = switchboard.stream(Prompts.toSwitchboard(prompt, options(prompt), alias, toolCallingManager));
      } catch (SwitchboardException | IllegalArgumentException e) {
        sink.error(e instanceof SwitchboardException se ? Errors.map(se) : e);
        return;
      }
      sink.onDispose(stream::close);
      stream.listen(new SinkListener(sink));
    });
  }

  private ChatOptions options(Prompt prompt) {
    return prompt.getOptions() == null ? defaults : prompt.getOptions();
  }

  /** This model's defaults; {@code ChatClient} merges per-call options into a copy of them. */
  @Override
  public SwitchboardChatOptions getOptions() {
    return defaults;
  }

  /** The model alias this model sends to when the options name none. */
  public String alias() {
    return alias;
  }

  @Override
  public String toString() {
    return "SwitchboardChatModel[alias=" + alias + "]";
  }

  /** Switchboard stream events as Spring AI chunks: text per delta, then one closing response. */
  private static final class SinkListener implements ChatStreamListener {
    private final FluxSink<ChatResponse> sink;

    SinkListener(FluxSink<ChatResponse> sink) {
      this.sink = sink;
    }

    @Override
    public void onEvent(ChatEvent event) {
      // Tool call fragments, usage and finish are in the closing response; a Reset (stream-restart,
      // opt-in) cannot take back what the subscriber has seen.
      if (event instanceof ChatEvent.TextDelta t && !t.text().isEmpty()) {
        sink.next(new ChatResponse(List.of(new Generation(new AssistantMessage(t.text())))));
      }
    }

    @Override
    public void onComplete(dev.switchboard.ChatResponse response) {
      sink.next(Responses.toSpringAi(response, ""));
      sink.complete();
    }

    @Override
    public void onError(SwitchboardException error) {
      sink.error(Errors.map(error));
    }
  }

  /** Builds a {@link SwitchboardChatModel}. */
  public static final class Builder {
    private Switchboard switchboard;
    private String alias;
    private SwitchboardChatOptions defaults;
    private ToolCallingManager toolCallingManager;

    private Builder() {}

    public Builder switchboard(Switchboard switchboard) {
      this.switchboard = switchboard;
      return this;
    }

    public Builder alias(String alias) {
      this.alias = alias;
      return this;
    }

    /** Options applied to every prompt that has none (temperature, max tokens, default tools, ...). */
    public Builder defaultOptions(SwitchboardChatOptions defaults) {
      this.defaults = Objects.requireNonNull(defaults, "defaults == null");
      return this;
    }

    /** Resolves tool definitions from tool callbacks and names (default: Spring AI's default manager). */
    public Builder toolCallingManager(ToolCallingManager toolCallingManager) {
      this.toolCallingManager = Objects.requireNonNull(toolCallingManager, "toolCallingManager == null");
      return this;
    }

    public SwitchboardChatModel build() {
      return new SwitchboardChatModel(this);
    }
  }
}
