package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ToolDefinition;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cache points on the two OpenAI wires: accepted, not sent (OpenAI and Azure cache long prompt
 * prefixes on their own) and not warned about. The body with every kind of cache point equals the
 * body of the same request without them, on Chat Completions and on the Responses API, and both
 * are valid against the OpenAI OpenAPI spec. (Recorded answers with cached tokens:
 * {@code AzurePromptCacheTest}, {@code OpenAiCassetteReplayTest}'s
 * openai-chat-cached-input-tokens-11178.json, {@code ResponsesCassetteReplayTest}.)
 */
class PromptCacheTest {
  private static final OpenAiCodec.Options OPTIONS = OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS);
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());
  private final ResponsesWire responses = new ResponsesWire(ProviderTestKit.objectMapper());

  private static ChatRequest request(boolean cachePoints) {
    byte[] pdf = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);
    ChatRequest.Builder b = ChatRequest.builder("a").system("Long rules.");
    if (cachePoints) b.cachePoint();
    b.tool(ToolDefinition.of("lookup", "Looks things up."));
    if (cachePoints) b.cachePointAfterTools();
    b.message(cachePoints
        ? Message.user(ContentPart.text("Read this:"), ContentPart.document(pdf, "application/pdf", "a.pdf"), ContentPart.cachePoint(),
            ContentPart.text("What does it say?"))
        : Message.user(ContentPart.text("Read this:"), ContentPart.document(pdf, "application/pdf", "a.pdf"),
            ContentPart.text("What does it say?")));
    b.message(AssistantMessage.of("It says hello."));
    if (cachePoints) b.cachePoint();
    // One text part and a cache point: still sent as a plain string, as without it.
    b.message(cachePoints ? Message.user(ContentPart.text("Thanks"), ContentPart.cachePoint()) : Message.user("Thanks"));
    return b.build();
  }

  @Test
  void chatCompletionsSendsTheSameBodyWithAndWithoutCachePoints() throws IOException {
    ChatWire.Encoded with = codec.encode(ProviderRequest.from(request(true)), "gpt-4o-mini", OPTIONS);
    ChatWire.Encoded without = codec.encode(ProviderRequest.from(request(false)), "gpt-4o-mini", OPTIONS);
    OpenAiRequestSchema.assertValidChatRequest(with.body());
    assertThat(ProviderTestKit.objectMapper().readTree(with.body())).isEqualTo(ProviderTestKit.objectMapper().readTree(without.body()));
    assertThat(ProviderTestKit.objectMapper().readTree(with.body()).at("/messages/3/content").asText()).isEqualTo("Thanks");
    assertThat(with.warnings()).isEmpty();
  }

  @Test
  void responsesSendsTheSameBodyWithAndWithoutCachePoints() throws IOException {
    ChatWire.Encoded with = responses.encode(ProviderRequest.from(request(true)), "gpt-4o-mini", OPTIONS);
    ChatWire.Encoded without = responses.encode(ProviderRequest.from(request(false)), "gpt-4o-mini", OPTIONS);
    OpenAiRequestSchema.assertValidResponsesRequest(with.body());
    assertThat(ProviderTestKit.objectMapper().readTree(with.body())).isEqualTo(ProviderTestKit.objectMapper().readTree(without.body()));
    assertThat(with.warnings()).isEmpty();
  }

  @Test
  void theRequestKeepsItsCachePointsThroughToBuilder() {
    ChatRequest r = request(true);
    assertThat(r.cachePoints().afterTools()).isTrue();
    assertThat(r.cachePoints().afterMessages()).containsExactly(0, 2);
    assertThat(r.toBuilder().build().cachePoints()).isEqualTo(r.cachePoints());
    assertThat(((dev.switchboard.UserMessage) r.messages().get(1)).contentWithoutCachePoints()).hasSize(3);
    assertThat(request(false).cachePoints().isEmpty()).isTrue();
    assertThat(List.of(ContentPart.cachePoint())).containsExactly(new ContentPart.CachePoint());
  }
}
