package dev.switchboard.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ContentPart;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.testing.MockProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MappingTest {

  @Test
  void everyRequestFieldLandsOnSwitchboardsRequest() {
    ChatRequest request = ChatRequest.builder()
        .messages(SystemMessage.from("be brief"),
            UserMessage.from(TextContent.from("look: "), ImageContent.from("https://example.com/cat.png")),
            AiMessage.from(ToolExecutionRequest.builder().id("c1").name("lookup").arguments("{\"q\":\"x\"}").build()),
            ToolExecutionResultMessage.from("c1", "lookup", "found"))
        .temperature(0.3).topP(0.9).topK(40).maxOutputTokens(200).stopSequences(List.of("END"))
        .frequencyPenalty(0.5).presencePenalty(0.25)
        .toolSpecifications(ToolSpecification.builder().name("lookup").description("Looks up").build())
        .toolChoice(ToolChoice.REQUIRED)
        .responseFormat(ResponseFormat.JSON)
        .build();

    dev.switchboard.ChatRequest sb = Requests.toSwitchboard("chat", request);

    assertThat(sb.model()).isEqualTo("chat");
    assertThat(sb.messages()).containsExactly(
        Message.system("be brief"),
        Message.user(ContentPart.text("look: "), ContentPart.imageUrl("https://example.com/cat.png")),
        AssistantMessage.of("", List.of(new ToolCall("c1", "lookup", "{\"q\":\"x\"}"))),
        Message.toolResult("c1", "found"));
    assertThat(sb.temperature()).hasValue(0.3);
    assertThat(sb.topP()).hasValue(0.9);
    assertThat(sb.maxTokens()).hasValue(200);
    assertThat(sb.stop()).containsExactly("END");
    assertThat(sb.providerOptions("openai")).containsEntry("frequency_penalty", 0.5).containsEntry("presence_penalty", 0.25);
    assertThat(sb.providerOptions("azure-openai")).containsEntry("frequency_penalty", 0.5);
    assertThat(sb.providerOptions("bedrock")).containsEntry("additionalModelRequestFields", Map.of("top_k", 40));
    assertThat(sb.tools()).singleElement().satisfies(t ->
        assertThat(t.parametersSchema()).isEqualTo("{\"type\":\"object\",\"properties\":{}}"));
    // REQUIRED with a single tool is that tool: the same thing, and Bedrock forces it by name.
    assertThat(sb.toolChoice()).contains(dev.switchboard.ToolChoice.tool("lookup"));
    assertThat(sb.responseFormat()).isEqualTo(dev.switchboard.ResponseFormat.jsonObject());
  }

  @Test
  void aToolErrorResultStaysAnError() {
    var m = ToolExecutionResultMessage.builder().id("c2").toolName("t").text("boom").isError(true).build();
    assertThat(Requests.message(m)).isEqualTo(ToolResultMessage.error("c2", "boom"));
  }

  @ParameterizedTest
  @EnumSource(ErrorKind.class)
  void everyErrorKindMapsOntoLangChain4jsTree(ErrorKind kind) {
    SwitchboardException e = SwitchboardException.of(kind, "failed");
    LangChain4jException mapped = Errors.map(e);

    assertThat(mapped).hasCause(e);
    Class<? extends LangChain4jException> expected = switch (kind) {
      case AUTHENTICATION, PERMISSION -> AuthenticationException.class;
      case NOT_FOUND -> ModelNotFoundException.class;
      case INVALID_REQUEST, CONTEXT_LENGTH_EXCEEDED -> InvalidRequestException.class;
      case CONTENT_FILTERED -> ContentFilteredException.class;
      case RATE_LIMITED -> RateLimitException.class;
      case TIMEOUT -> TimeoutException.class;
      case SERVER_ERROR -> InternalServerException.class;
      case UNAVAILABLE, NETWORK -> RetriableException.class;
      case QUOTA_EXCEEDED, PROTOCOL, CANCELLED -> NonRetriableException.class;
    };
    assertThat(mapped).isExactlyInstanceOf(expected);
    // LangChain4j's retriable split agrees with Switchboard's classification, except TIMEOUT:
    // LangChain4j's TimeoutException is always retriable, while Switchboard no longer retries a
    // timed-out target by default (it fails over instead); the type callers catch wins.
    if (kind != ErrorKind.TIMEOUT) {
      assertThat(mapped instanceof RetriableException).isEqualTo(kind.retryableByDefault());
    }
  }

  @Test
  void embeddingsFailOverAndKeepInputOrder() {
    MockProvider first = MockProvider.create().otherwiseFail(ErrorKind.UNAVAILABLE);
    MockProvider second = MockProvider.create().thenEmbed(List.of(new float[] {1, 2}, new float[] {3, 4}));
    try (Switchboard sb = Switchboard.builder().deployment("a", first).deployment("b", second)
        .model(ModelAlias.builder("embed").target("a", "text-embedding-3-small").target("b", "titan").build())
        .routing(dev.switchboard.routing.RoutingPolicy.builder().retry(dev.switchboard.resilience.RetryPolicy.NONE).build())
        .build()) {
      EmbeddingModel model = SwitchboardEmbeddingModel.of(sb, "embed");

      var response = model.embedAll(List.of(TextSegment.from("one"), TextSegment.from("two")));

      assertThat(response.content()).extracting(e -> e.vector()[0]).containsExactly(1f, 3f);
      assertThat(first.embeddingCalls()).hasSize(1);
      assertThat(second.embeddingCalls()).singleElement()
          .satisfies(c -> assertThat(c.request().inputs()).containsExactly("one", "two"));
    }
  }

  @Test
  void aBlankAliasIsRejectedWhenTheModelIsBuilt() {
    try (Switchboard sb = Switchboard.builder().deployment("a", MockProvider.create())
        .model(ModelAlias.builder("chat").target("a", "m").build()).build()) {
      assertThatThrownBy(() -> SwitchboardChatModel.of(sb, " "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias is blank");
    }
  }
}
