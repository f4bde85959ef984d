package dev.switchboard.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.switchboard.Attempt;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingOnSwitchboardTest {
  private final MockProvider azure = MockProvider.create();
  private final MockProvider bedrock = MockProvider.create();
  private final Switchboard switchboard = Switchboard.builder()
      .deployment("azure", azure)
      .deployment("bedrock", bedrock)
      .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build())
      .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
      .build();

  @AfterEach
  void close() {
    switchboard.close();
  }

  /** Records every callback; {@code done} completes with the response or the error. */
  static final class Recorder implements StreamingChatResponseHandler {
    final List<String> partials = new CopyOnWriteArrayList<>();
    final List<PartialToolCall> partialToolCalls = new CopyOnWriteArrayList<>();
    final List<CompleteToolCall> completeToolCalls = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String text) {
      partials.add(text);
    }

    @Override
    public void onPartialToolCall(PartialToolCall call) {
      partialToolCalls.add(call);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall call) {
      completeToolCalls.add(call);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }
  }

  @Test
  void streamsTextAfterFailingOverBeforeTheFirstEvent() throws Exception {
    azure.thenFail(ErrorKind.UNAVAILABLE);
    bedrock.thenStream(StreamScript.builder().text("Hel").text("lo").usage(7, 2).finish(dev.switchboard.FinishReason.STOP).build());
    Recorder recorder = new Recorder();

    SwitchboardStreamingChatModel.of(switchboard, "chat").chat("hi", recorder);
    ChatResponse response = recorder.done.get(10, TimeUnit.SECONDS);

    assertThat(recorder.partials).containsExactly("Hel", "lo");
    assertThat(response.aiMessage().text()).isEqualTo("Hello");
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(7);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(2);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    SwitchboardChatResponseMetadata metadata = (SwitchboardChatResponseMetadata) response.metadata();
    assertThat(metadata.servedBy().deployment()).isEqualTo("bedrock");
    assertThat(metadata.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    assertThat(azure.callCount()).isEqualTo(1);
    assertThat(bedrock.callCount()).isEqualTo(1);
  }

  @Test
  void partialToolCallsCarryIdAndNameOnEveryFragment() throws Exception {
    bedrock.thenStream(StreamScript.builder()
        .toolCall(0, "call_9", "weather", "{\"city\":")
        .toolCall(0, null, null, "\"Oslo\"}")
        .finish(dev.switchboard.FinishReason.TOOL_CALLS).build());
    azure.thenFail(ErrorKind.NETWORK);
    Recorder recorder = new Recorder();
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("weather in Oslo?"))
        .toolSpecifications(ToolSpecification.builder().name("weather").description("Current weather")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build())
        .build();

    SwitchboardStreamingChatModel.of(switchboard, "chat").chat(request, recorder);
    ChatResponse response = recorder.done.get(10, TimeUnit.SECONDS);

    assertThat(recorder.partialToolCalls).extracting(PartialToolCall::id).containsExactly("call_9", "call_9");
    assertThat(recorder.partialToolCalls).extracting(PartialToolCall::name).containsExactly("weather", "weather");
    assertThat(recorder.partialToolCalls).extracting(PartialToolCall::partialArguments)
        .containsExactly("{\"city\":", "\"Oslo\"}");
    assertThat(recorder.completeToolCalls).singleElement()
        .satisfies(c -> assertThat(c.toolExecutionRequest().arguments()).isEqualTo("{\"city\":\"Oslo\"}"));
    assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
        .satisfies(r -> assertThat(r.name()).isEqualTo("weather"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    assertThat(bedrock.lastCall().request().tools()).singleElement()
        .satisfies(t -> assertThat(t.parametersSchema())
            .isEqualTo("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));
  }

  @Test
  void aStreamThatFailsEverywhereEndsInOnErrorWithTheMappedType() throws Exception {
    azure.thenFail(ErrorKind.SERVER_ERROR);
    bedrock.thenFail(ErrorKind.SERVER_ERROR);
    Recorder recorder = new Recorder();

    SwitchboardStreamingChatModel.of(switchboard, "chat").chat("hi", recorder);

    assertThat(recorder.done).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
        .havingCause().isInstanceOf(InternalServerException.class)
        .havingCause().isInstanceOfSatisfying(SwitchboardException.class,
            e -> assertThat(e.attempts()).hasSize(2));
    assertThat(recorder.partials).isEmpty();
  }
}
