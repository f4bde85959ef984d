package dev.switchboard.langchain4j;

import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds Switchboard stream events to a LangChain4j handler. Tool call fragments carry id and
 * name only on their first fragment in Switchboard; LangChain4j expects them on every partial
 * call, so they are remembered per index.
 */
final class StreamBridge implements ChatStreamListener, StreamingHandle {
  private final ChatStream stream;
  private final StreamingChatResponseHandler handler;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean done = new AtomicBoolean();
  private final Map<Integer, String[]> toolCalls = new HashMap<>();

  StreamBridge(ChatStream stream, StreamingChatResponseHandler handler) {
    this.stream = stream;
    this.handler = handler;
  }

  @Override
  public void onEvent(ChatEvent event) {
    if (done.get() || cancelled.get()) return;
    try {
      if (event instanceof ChatEvent.TextDelta t) {
        if (!t.text().isEmpty()) handler.onPartialResponse(new PartialResponse(t.text()), new PartialResponseContext(this));
      } else if (event instanceof ChatEvent.ToolCallDelta d) {
        String[] idAndName = toolCalls.computeIfAbsent(d.index(), i -> new String[2]);
        d.id().ifPresent(id -> idAndName[0] = id);
        d.name().ifPresent(name -> idAndName[1] = name);
        PartialToolCall partial = PartialToolCall.builder().index(d.index()).id(idAndName[0]).name(idAndName[1])
            .partialArguments(d.argumentsFragment()).build();
        handler.onPartialToolCall(partial, new PartialToolCallContext(this));
      }
      // UsageUpdate and Finish are in the assembled response; Reset (stream-restart, opt-in) cannot
      // take back what the handler has seen, and the complete response is the restarted answer.
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  @Override
  public void onComplete(ChatResponse response) {
    if (cancelled.get() || !done.compareAndSet(false, true)) return;
    try {
      List<ToolCall> calls = response.toolCalls();
      for (int i = 0; i < calls.size(); i++) {
        handler.onCompleteToolCall(new CompleteToolCall(i, Responses.toolExecutionRequest(calls.get(i))));
      }
      handler.onCompleteResponse(Responses.toLangChain4j(response));
    } catch (RuntimeException e) {
      handler.onError(e);
    } finally {
      stream.close();
    }
  }

  @Override
  public void onError(SwitchboardException error) {
    if (cancelled.get() || !done.compareAndSet(false, true)) return;
    handler.onError(Errors.map(error));
  }

  private void fail(RuntimeException e) {
    if (!done.compareAndSet(false, true)) return;
    stream.close();
    handler.onError(e);
  }

  @Override
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) stream.close();
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }
}
