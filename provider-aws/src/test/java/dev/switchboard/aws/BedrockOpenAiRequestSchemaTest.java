package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.Secret;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.openai.testkit.ResponsesBodies;
import dev.switchboard.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Bedrock's OpenAI-compatible modes send is valid against OpenAI's published OpenAPI
 * document ({@code ../shared/fixtures/openai-openapi}), as the OpenAI and Azure tests check
 * theirs: {@code api: openai-chat} bodies against {@code CreateChatCompletionRequest} (chat and
 * stream), {@code api: responses} bodies against {@code CreateResponse}, for a request using every
 * feature those deployments accept (tools, forced tool choice, JSON schema output, image bytes, a
 * tool-call turn and its result, sampling settings). Every other Bedrock OpenAI-mode test checks
 * its bodies the same way after it runs (see {@link BedrockTestBase}).
 */
class BedrockOpenAiRequestSchemaTest extends BedrockTestBase {

  static ChatRequest everything() {
    return ChatRequest.builder("alias")
        .system("Be brief.")
        .message(Message.user(ContentPart.text("What is in this picture, and the weather there?"),
            ContentPart.image(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png")))
        .message(AssistantMessage.of("Checking.", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
        .message(Message.toolResult("call_1", "{\"temp\":21}"))
        .tool(new ToolDefinition("get_weather", "Current weather",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"))
        .toolChoice(ToolChoice.tool("get_weather"))
        .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
            + "\"required\":[\"text\"],\"additionalProperties\":false}", true))
        .temperature(0.2).topP(0.9).maxTokens(200).stop(List.of("END")).seed(7).endUser("user-1")
        .build();
  }

  private void use(String api) {
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl()).api(api)
        .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build());
  }

  @Test
  void openAiChatBodiesAreValidChatCompletionRequests() {
    use("openai-chat");
    wm.stubFor(post(urlPathEqualTo(BedrockOpenAiChatTest.PATH)).willReturn(BedrockOpenAiChatTest.json(200,
        BedrockOpenAiChatTest.completion("{\"text\":\"sunny\"}"))));
    wm.stubFor(post(urlPathEqualTo(BedrockOpenAiChatTest.PATH)).withHeader("Accept", com.github.tomakehurst.wiremock.client.WireMock
        .equalTo("text/event-stream")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{}\"},"
            + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")));

    chat(everything());
    stream(everything()).awaitComplete();

    List<LoggedRequest> sent = requests();
    assertThat(sent).hasSize(2);
    for (LoggedRequest r : sent) {
      assertThat(r.getUrl()).isEqualTo(BedrockOpenAiChatTest.PATH);
      OpenAiRequestSchema.assertValidChatRequest(r.getBody());
    }
  }

  @Test
  void responsesBodiesAreValidCreateResponseRequests() {
    use("responses");
    wm.stubFor(post(urlPathEqualTo(BedrockOpenAiResponsesTest.PATH)).willReturn(BedrockOpenAiChatTest.json(200,
        ResponsesBodies.response("completed", ResponsesBodies.message("{\"text\":\"sunny\"}"), ResponsesBodies.usage(30, 5)))));

    chat(everything());

    LoggedRequest r = requests().get(0);
    assertThat(r.getUrl()).isEqualTo(BedrockOpenAiResponsesTest.PATH);
    OpenAiRequestSchema.assertValidResponsesRequest(r.getBody());
  }

  /** The check can fail: a Chat Completions body is not a Responses request, nor the reverse (with the fixtures present). */
  @Test
  void theSchemaCheckRejectsABodyOfTheOtherWire() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Fixtures.present(), "shared fixtures absent");
    use("openai-chat");
    wm.stubFor(post(urlPathEqualTo(BedrockOpenAiChatTest.PATH)).willReturn(BedrockOpenAiChatTest.json(200,
        BedrockOpenAiChatTest.completion("ok"))));
    chat(everything());
    byte[] chatBody = requests().get(0).getBody();
    assertThat(OpenAiRequestSchema.responsesProblems(new String(chatBody, StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(OpenAiRequestSchema.chatProblems("{\"model\":\"m\",\"input\":\"hi\",\"store\":false}")).isNotEmpty();
  }
}
