package dev.switchboard.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.switchboard.AssistantMessage;
import dev.switchboard.Attempt;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.ModelAlias;
import dev.switchboard.ResponseFormat;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A LangChain4j AI Service, written as for any ChatModel, runs unchanged on Switchboard and fails over. */
class AiServiceOnSwitchboardTest {
  private final MockProvider azure = MockProvider.create().otherwiseFail(ErrorKind.SERVER_ERROR);
  private final MockProvider bedrock = MockProvider.create();
  private final Switchboard switchboard = Switchboard.builder()
      .deployment("azure", azure)
      .deployment("bedrock", bedrock)
      .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build())
      // No retry on the same target, so each call makes exactly one attempt per target.
      .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
      .build();

  @AfterEach
  void close() {
    switchboard.close();
  }

  interface Assistant {
    String chat(String message);
  }

  record Person(String name, int age) {}

  interface Extractor {
    Person extract(String text);
  }

  static final class Calculator {
    final AtomicInteger calls = new AtomicInteger();

    @Tool("Adds two integers")
    int add(@P(name = "a", value = "first addend") int a, @P(name = "b", value = "second addend") int b) {
      calls.incrementAndGet();
      return a + b;
    }
  }

  @Test
  void toolCallAndMemoryWorkThroughFailover() {
    Calculator calculator = new Calculator();
    Assistant assistant = AiServices.builder(Assistant.class)
        .chatModel(SwitchboardChatModel.of(switchboard, "chat"))
        .tools(calculator)
        .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
        .build();
    bedrock.thenToolCall("call_1", "add", "{\"a\":2,\"b\":3}").thenReply("2 + 3 = 5").thenReply("You asked about 2 + 3.");

    assertThat(assistant.chat("What is 2 + 3?")).isEqualTo("2 + 3 = 5");
    assertThat(assistant.chat("What did I ask?")).isEqualTo("You asked about 2 + 3.");

    assertThat(calculator.calls).hasValue(1);
    // Every one of the three model calls failed on azure first and was answered by bedrock.
    assertThat(azure.callCount()).isEqualTo(3);
    assertThat(bedrock.callCount()).isEqualTo(3);

    var first = bedrock.calls().get(0).request();
    assertThat(first.tools()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("add");
      assertThat(t.description()).isEqualTo("Adds two integers");
      assertThat(t.parametersSchema()).contains("\"a\":{\"type\":\"integer\",\"description\":\"first addend\"}").contains("\"required\":[\"a\",\"b\"]");
    });
    List<Message> second = bedrock.calls().get(1).request().messages();
    assertThat(second).hasSize(3);
    assertThat(second.get(1)).isInstanceOfSatisfying(AssistantMessage.class,
        m -> assertThat(m.toolCalls()).singleElement().satisfies(c -> {
          assertThat(c.id()).isEqualTo("call_1");
          assertThat(c.arguments()).isEqualTo("{\"a\":2,\"b\":3}");
        }));
    assertThat(second.get(2)).isEqualTo(Message.toolResult("call_1", "5"));
    // Memory: the third call carries the whole conversation so far.
    List<Message> third = bedrock.calls().get(2).request().messages();
    assertThat(third).hasSize(5);
    assertThat(third.get(3)).isEqualTo(Message.assistant("2 + 3 = 5"));
    assertThat(((UserMessage) third.get(4)).text()).isEqualTo("What did I ask?");
    assertThat(third.get(2)).isInstanceOf(ToolResultMessage.class);
  }

  @Test
  void structuredOutputIsSentAsJsonSchemaAndParsedBack() {
    Extractor extractor = AiServices.create(Extractor.class, SwitchboardChatModel.of(switchboard, "chat"));
    bedrock.thenReply("{\"name\":\"Ada\",\"age\":36}");

    Person person = extractor.extract("Ada Lovelace was 36.");

    assertThat(person).isEqualTo(new Person("Ada", 36));
    assertThat(azure.callCount()).isEqualTo(1);
    ResponseFormat format = bedrock.lastCall().request().responseFormat();
    assertThat(format).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class, s -> {
      assertThat(s.name()).isEqualTo("Person");
      assertThat(s.schema()).contains("\"name\":{\"type\":\"string\"}").contains("\"age\":{\"type\":\"integer\"}");
    });
  }

  @Test
  void whenEveryTargetFailsTheErrorIsLangChain4jsWithTheTraceAsCause() {
    MockProvider limited = MockProvider.create().otherwiseFail(ErrorKind.RATE_LIMITED);
    bedrock.otherwiseFail(ErrorKind.RATE_LIMITED);
    try (Switchboard sb = Switchboard.builder().deployment("azure", limited).deployment("bedrock", bedrock)
        .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build()).build()) {
      Assistant assistant = AiServices.create(Assistant.class, SwitchboardChatModel.of(sb, "chat"));

      assertThatThrownBy(() -> assistant.chat("hi"))
          .isInstanceOf(RateLimitException.class)
          .cause().isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(e.attempts()).extracting(Attempt::outcome)
                .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.FAILED);
          });
      assertThat(limited.callCount()).isEqualTo(1);
      assertThat(bedrock.callCount()).isEqualTo(1);
    }
  }
}
