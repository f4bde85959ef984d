package dev.switchboard.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ContentPart;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.MockProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.util.MimeType;

/** Spring AI's options, messages and media as Switchboard sees them; embeddings both ways. */
class MappingTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  private final MockProvider mock = MockProvider.create().otherwiseReply("ok");
  private final Switchboard switchboard = Switchboard.builder().deployment("d", mock)
      .model(ModelAlias.builder("chat").target("d", "m").build())
      .model(ModelAlias.builder("other").target("d", "m2").build())
      .build();
  private final SwitchboardChatModel model = SwitchboardChatModel.of(switchboard, "chat");

  @AfterEach
  void close() {
    switchboard.close();
  }

  /** What the provider received: the request without the alias and timeout, which the engine resolved. */
  private ProviderRequest sent() {
    return mock.lastCall().request();
  }

  @Test
  void portableOptionsMapOneToOneAndTheRestGoToProviderNamespaces() {
    ChatOptions options = SwitchboardChatOptions.builder().temperature(0.3).maxTokens(200).topP(0.9)
        .stopSequences(List.of("END")).topK(40).frequencyPenalty(0.5).presencePenalty(0.25)
        .timeout(Duration.ofSeconds(7)).seed(42L).build();

    model.call(new Prompt("hi", options));

    ProviderRequest r = sent();
    assertThat(mock.lastCall().target().model()).isEqualTo("m"); // alias chat
    assertThat(r.temperature()).hasValue(0.3);
    assertThat(r.maxTokens()).hasValue(200);
    assertThat(r.topP()).hasValue(0.9);
    assertThat(r.stop()).containsExactly("END");
    // The provider gets what is left of the 7 s deadline (the default is longer).
    assertThat(mock.lastCall().timeout()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(7));
    assertThat(r.seed()).hasValue(42L);
    assertThat(r.providerOptions("bedrock")).containsEntry("additionalModelRequestFields", Map.of("top_k", 40));
    assertThat(r.providerOptions("openai")).containsEntry("frequency_penalty", 0.5).containsEntry("presence_penalty", 0.25);
    assertThat(r.providerOptions("azure-openai")).containsEntry("frequency_penalty", 0.5);
  }

  @Test
  void theOptionsModelNamesTheAliasAndChatClientDefaultsCarryOver() {
    ChatClient client = ChatClient.builder(model).defaultOptions(ChatOptions.builder().temperature(0.1)).build();

    client.prompt().user("hi").call().content();
    assertThat(mock.lastCall().target().model()).isEqualTo("m"); // alias chat
    assertThat(sent().temperature()).hasValue(0.1);

    client.prompt().user("hi").options(ChatOptions.builder().model("other")).call().content();
    assertThat(mock.lastCall().target().model()).isEqualTo("m2");

    assertThatThrownBy(() -> model.call(new Prompt("hi", ChatOptions.builder().model("gpt-4o").build())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown model alias 'gpt-4o'");
  }

  @Test
  void messagesKeepTheirRolesToolCallsAndMedia() {
    var user = org.springframework.ai.chat.messages.UserMessage.builder().text("what is this?")
        .media(new Media(MimeType.valueOf("image/png"), URI.create("https://example.com/a.png")),
            Media.builder().mimeType(MimeType.valueOf("image/png")).data(PNG).build(),
            Media.builder().mimeType(MimeType.valueOf("application/pdf")).data(new byte[] {'%', 'P'}).name("spec").build())
        .build();
    var assistant = AssistantMessage.builder().content("")
        .toolCalls(List.of(new AssistantMessage.ToolCall("c1", "function", "look", "{\"q\":1}"),
            new AssistantMessage.ToolCall("c2", "function", "look", "{\"q\":2}"))).build();
    var results = ToolResponseMessage.builder().responses(List.of(new ToolResponseMessage.ToolResponse("c1", "look", "one"),
        new ToolResponseMessage.ToolResponse("c2", "look", "two"))).build();

    model.call(new Prompt(List.of(new SystemMessage("sys"), user, assistant, results)));

    List<Message> m = sent().messages();
    assertThat(m).hasSize(5);
    assertThat(m.get(0)).isEqualTo(Message.system("sys"));
    assertThat(((UserMessage) m.get(1)).content()).containsExactly(ContentPart.text("what is this?"),
        ContentPart.imageUrl("https://example.com/a.png"), ContentPart.image(PNG, "image/png"),
        ContentPart.document(new byte[] {'%', 'P'}, "application/pdf", "spec"));
    assertThat(((dev.switchboard.AssistantMessage) m.get(2)).toolCalls()).extracting(c -> c.id() + ":" + c.arguments())
        .containsExactly("c1:{\"q\":1}", "c2:{\"q\":2}");
    // Spring AI keeps a turn's tool results in one message; Switchboard one message per result.
    assertThat(m.subList(3, 5)).containsExactly(new ToolResultMessage("c1", "one", false), new ToolResultMessage("c2", "two", false));
  }

  @Test
  void unsupportedMediaIsRejectedByName() {
    var user = org.springframework.ai.chat.messages.UserMessage.builder().text("listen")
        .media(Media.builder().mimeType(MimeType.valueOf("audio/mp3")).data(new byte[] {1}).build()).build();

    assertThatThrownBy(() -> model.call(new Prompt(user)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media type audio/mp3 is not supported");
    assertThat(mock.callCount()).isZero();
  }

  @Test
  void embeddingsComeBackInOrderWithWhoServed() {
    mock.thenEmbed(List.of(new float[] {1, 2}, new float[] {3, 4}));
    SwitchboardEmbeddingModel embeddings = SwitchboardEmbeddingModel.of(switchboard, "chat").withDimensions(2);

    EmbeddingResponse r = embeddings.call(new EmbeddingRequest(List.of("a", "b"), EmbeddingOptions.builder().build()));

    assertThat(r.getResults()).extracting(e -> e.getOutput()[0]).containsExactly(1f, 3f);
    assertThat(r.getResults()).extracting(e -> e.getIndex()).containsExactly(0, 1);
    assertThat(r.getMetadata().getUsage().getPromptTokens()).isEqualTo(2);
    Object servedBy = r.getMetadata().get(SwitchboardMetadata.SERVED_BY);
    assertThat(servedBy).hasToString("d(mock:m)");
    assertThat(mock.embeddingCalls().get(0).request().dimensions()).hasValue(2);
    assertThat(embeddings.dimensions()).isEqualTo(2);

    mock.otherwiseFail(ErrorKind.INVALID_REQUEST);
    assertThatThrownBy(() -> embeddings.embed("c")).isInstanceOf(NonTransientAiException.class);
  }
}
