package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ToolDefinition;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cache points on Azure OpenAI, against Mirascope's recorded prompt-caching traffic (the same
 * caching tests its Bedrock runs send {@code cachePoint} blocks for): each recorded request is
 * rebuilt with a cache point after its system text, its tools and every message, sent through
 * the Azure provider, and the body that arrives must equal the recorded one (Azure caches long
 * prefixes on its own: nothing is sent for a cache point) with no warning on the response, while
 * the usage carries the recorded {@code prompt_tokens_details.cached_tokens}.
 */
class AzurePromptCacheTest extends AzureTestBase {
  static Stream<String> cassettes() {
    return Stream.of("test_caching_system_message", "test_caching_user_message", "test_caching_tool",
        "test_caching_multi_turn_conversation");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cassettes")
  void cachePointsAreAcceptedNotSentAndCachedTokensComeBack(String name) throws IOException {
    Cassette cassette = Cassette.load(Fixtures.path("azure-openai/mirascope/input/cassettes/" + name + "/azure_openai_gpt_5_mini.yaml"));
    int cachedSeen = 0;
    for (Interaction it : cassette.interactions()) {
      JsonNode recorded = it.request().json().orElseThrow();
      server.resetAll();
      server.stubFor(post(urlPathEqualTo(it.request().path())).willReturn(aResponse().withStatus(it.response().status())
          .withHeader("Content-Type", "application/json").withBody(it.response().decodedBody())));
      ChatResponse r = chat(provider(deployment().apiKey(KEY).urlStyle(UrlStyle.V1).build()), withCachePoints(recorded),
          recorded.get("model").asText());

      byte[] sent = requests().get(0).getBody();
      assertThat(ProviderTestKit.objectMapper().readTree(sent)).isEqualTo(recorded);
      OpenAiRequestSchema.assertValidChatRequest(sent);
      assertThat(r.warnings()).isEmpty();
      int cached = ProviderTestKit.objectMapper().readTree(it.response().decodedBody()).at("/usage/prompt_tokens_details/cached_tokens").asInt();
      assertThat(r.usage().cachedInputTokens()).hasValue(cached);
      assertThat(r.usage().cacheWriteInputTokens()).as("OpenAI wire reports no cache writes").isEmpty();
      if (cached > 0) cachedSeen++;
    }
    assertThat(cachedSeen).as("answers of %s read from the cache", name).isPositive();
  }

  /** The recorded request with a cache point wherever one can stand. */
  private static ChatRequest withCachePoints(JsonNode body) {
    ChatRequest.Builder b = ChatRequest.builder("alias");
    for (JsonNode m : body.get("messages")) {
      String text = m.get("content").asText();
      switch (m.get("role").asText()) {
        case "system" -> b.system(text).cachePoint();
        case "user" -> b.message(Message.user(ContentPart.text(text), ContentPart.cachePoint()));
        case "assistant" -> b.message(AssistantMessage.of(text)).cachePoint();
        default -> throw new AssertionError("role not covered here: " + m.get("role"));
      }
    }
    for (JsonNode t : body.path("tools")) {
      JsonNode f = t.get("function");
      b.tool(new ToolDefinition(f.get("name").asText(), f.path("description").asText(""), f.get("parameters").toString(),
          f.path("strict").asBoolean(false)));
    }
    if (body.has("tools")) b.cachePointAfterTools();
    return b.build();
  }
}
