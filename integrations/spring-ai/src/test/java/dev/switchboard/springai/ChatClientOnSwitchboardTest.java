package dev.switchboard.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.AssistantMessage;
import dev.switchboard.Attempt;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.Message;
import dev.switchboard.ModelAlias;
import dev.switchboard.ResponseFormat;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.UserMessage;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.AdvisorParams;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * A Spring AI {@link ChatClient}, written as for any ChatModel, runs unchanged on Switchboard and
 * fails over: every test's first target fails, and the mock counts the calls each target got.
 */
class ChatClientOnSwitchboardTest {
  private final MockProvider azure = MockProvider.create().otherwiseFail(ErrorKind.SERVER_ERROR);
  private final MockProvider bedrock = MockProvider.create();
  private final Switchboard switchboard = Switchboard.builder()
      .deployment("azure", azure)
      .deployment("bedrock", bedrock)
      .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build())
      // No retry on the same target, so each call makes exactly one attempt per target.
      .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
      .build();
  private final ChatClient client = ChatClient.create(SwitchboardChatModel.of(switchboard, "chat"));

  @AfterEach
  void close() {
    switchboard.close();
  }

  static final class Calculator {
    final AtomicInteger calls = new AtomicInteger();

    @Tool(description = "Adds two integers")
    int add(@ToolParam(description = "first addend") int a, @ToolParam(description = "second addend") int b) {
      calls.incrementAndGet();
      return a + b;
    }
  }

  record Person(String name, int age) {}

  @Test
  void callFailsOverAndTheMetadataNamesWhoServed() {
    bedrock.thenReply("Hello from Bedrock");

    ChatResponse response = client.prompt().system("Be brief.").user("Hi").call().chatResponse();

    assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello from Bedrock");
    assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
    assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(10);
    assertThat(SwitchboardMetadata.servedBy(response)).contains(new TargetRef("bedrock", "mock", "claude"));
    assertThat(SwitchboardMetadata.attempts(response)).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    assertThat(azure.callCount()).isEqualTo(1);
    assertThat(bedrock.callCount()).isEqualTo(1);
    List<Message> sent = bedrock.lastCall().request().messages();
    assertThat(sent).containsExactly(Message.system("Be brief."), Message.user("Hi"));
  }

  @Test
  void streamFailsOverBeforeTheFirstChunk() {
    bedrock.thenStream(StreamScript.builder().text("Hel").text("lo").usage(7, 2).build());

    List<String> chunks = client.prompt().user("Hi").stream().content().collectList().block(Duration.ofSeconds(10));

    assertThat(chunks).containsExactly("Hel", "lo");
    assertThat(azure.callCount()).isEqualTo(1);
    assertThat(bedrock.callCount()).isEqualTo(1);
  }

  @Test
  void streamedResponsesCloseWithUsageAndWhoServed() {
    bedrock.thenStream(StreamScript.builder().text("Hel").text("lo").usage(7, 2).build());

    List<ChatResponse> responses = client.prompt().user("Hi").stream().chatResponse().collectList().block(Duration.ofSeconds(10));

    assertThat(responses).hasSize(3);
    ChatResponse last = responses.get(2);
    assertThat(last.getResult().getOutput().getText()).isEmpty();
    assertThat(last.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
    assertThat(last.getMetadata().getUsage().getTotalTokens()).isEqualTo(9);
    assertThat(SwitchboardMetadata.servedBy(last)).map(TargetRef::deployment).contains("bedrock");
  }

  @Test
  void aToolMethodIsCalledByChatClientsToolLoop() {
    Calculator calculator = new Calculator();
    bedrock.thenToolCall("call_1", "add", "{\"a\":2,\"b\":3}").thenReply("2 + 3 = 5");

    String answer = client.prompt().user("What is 2 + 3?").tools(calculator).call().content();

    assertThat(answer).isEqualTo("2 + 3 = 5");
    assertThat(calculator.calls).hasValue(1);
    // Both model calls failed on azure first and were answered by bedrock.
    assertThat(azure.callCount()).isEqualTo(2);
    assertThat(bedrock.callCount()).isEqualTo(2);
    assertThat(bedrock.calls().get(0).request().tools()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("add");
      assertThat(t.description()).isEqualTo("Adds two integers");
      assertThat(t.parametersSchema()).contains("\"a\"").contains("first addend").contains("\"required\"");
    });
    List<Message> second = bedrock.calls().get(1).request().messages();
    assertThat(second).hasSize(3);
    assertThat(second.get(1)).isInstanceOfSatisfying(AssistantMessage.class,
        m -> assertThat(m.toolCalls()).singleElement().satisfies(c -> {
          assertThat(c.id()).isEqualTo("call_1");
          assertThat(c.arguments()).isEqualTo("{\"a\":2,\"b\":3}");
        }));
    assertThat(second.get(2)).isEqualTo(Message.toolResult("call_1", "5"));
  }

  @Test
  void aStreamedToolCallRunsTheToolAndStreamsTheAnswer() {
    Calculator calculator = new Calculator();
    bedrock.thenStream(StreamScript.builder()
            .toolCall(0, "call_1", "add", "{\"a\":2,").toolCall(0, null, null, "\"b\":3}")
            .finish(FinishReason.TOOL_CALLS).build())
        .thenStream(StreamScript.text("It is ", "5."));

    List<String> chunks = client.prompt().user("What is 2 + 3?").tools(calculator).stream().content()
        .collectList().block(Duration.ofSeconds(10));

    assertThat(String.join("", chunks)).isEqualTo("It is 5.");
    assertThat(calculator.calls).hasValue(1);
    assertThat(bedrock.callCount()).isEqualTo(2);
    assertThat(bedrock.calls().get(1).request().messages().get(2)).isEqualTo(Message.toolResult("call_1", "5"));
  }

  @Test
  void entityParsesTheAnswerFromFormatInstructions() {
    bedrock.thenReply("{\"name\":\"Ada\",\"age\":36}");

    Person person = client.prompt().user("Ada Lovelace was 36.").call().entity(Person.class);

    assertThat(person).isEqualTo(new Person("Ada", 36));
    // Spring AI's default: the JSON schema goes into the prompt text, not a response format.
    assertThat(((UserMessage) bedrock.lastCall().request().messages().get(0)).text()).contains("\"age\"");
    assertThat(bedrock.lastCall().request().responseFormat()).isEqualTo(ResponseFormat.text());
  }

  @Test
  void nativeStructuredOutputIsSentAsAJsonSchemaResponseFormat() {
    bedrock.thenReply("{\"name\":\"Ada\",\"age\":36}");

    Person person = client.prompt().advisors(AdvisorParams.ENABLE_NATIVE_STRUCTURED_OUTPUT)
        .user("Ada Lovelace was 36.").call().entity(Person.class);

    assertThat(person).isEqualTo(new Person("Ada", 36));
    assertThat(bedrock.lastCall().request().responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
        s -> assertThat(s.schema()).contains("\"name\"").contains("\"age\""));
  }

  @Test
  void whenEveryTargetFailsTheErrorIsTransientOrNotByKind() {
    MockProvider only = MockProvider.create();
    try (Switchboard sb = Switchboard.builder().deployment("only", only)
        .model(ModelAlias.builder("chat").target("only", "m").build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build()).build()) {
      ChatClient single = ChatClient.create(SwitchboardChatModel.of(sb, "chat"));

      only.thenFail(ErrorKind.UNAVAILABLE);
      assertThatThrownBy(() -> single.prompt().user("hi").call().content())
          .isInstanceOf(TransientAiException.class)
          .cause().isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.attempts()).hasSize(1);
          });

      only.thenFail(ErrorKind.AUTHENTICATION).thenStream(StreamScript.builder().fail(ErrorKind.INVALID_REQUEST));
      assertThatThrownBy(() -> single.prompt().user("hi").call().content())
          .isInstanceOf(NonTransientAiException.class)
          .cause().isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
      assertThatThrownBy(() -> single.prompt().user("hi").stream().content().blockLast(Duration.ofSeconds(10)))
          .isInstanceOf(NonTransientAiException.class)
          .cause().isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
      assertThat(only.callCount()).isEqualTo(3);
    }
  }
}
