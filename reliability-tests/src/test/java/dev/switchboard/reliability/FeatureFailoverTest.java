package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ModelAlias;
import dev.switchboard.ReasoningSettings;
import dev.switchboard.ResponseFormat;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per request feature of the README's "From raw provider JSON to the typed API" table: the
 * request goes to Azure OpenAI first, which answers 503, and fails over to Bedrock Converse. Both
 * loopback servers' request logs are checked: Azure received the feature in its own wire form,
 * exactly once (no hidden retry), and Bedrock received it mapped, or the answer carries the
 * warning, or Bedrock was skipped up front and received nothing. Video, which only Bedrock reads,
 * is the other way round: Azure is skipped up front and receives nothing.
 */
class FeatureFailoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-20250514-v1:0";
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private static final byte[] PNG = Base64.getDecoder()
      .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
  private static final byte[] PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

  private MockWebServer azure;
  private MockWebServer bedrock;
  private final ConcurrentLinkedQueue<JsonNode> azureBodies = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<JsonNode> bedrockBodies = new ConcurrentLinkedQueue<>();

  /** What to check for one feature: the Azure body, then the Bedrock body and the answer (or the error when Bedrock is skipped). */
  record Row(String feature, UnaryOperator<ChatRequest.Builder> request, Consumer<JsonNode> onAzure, Expect bedrock) {
    @Override
    public String toString() {
      return feature;
    }
  }

  interface Expect {}

  record Mapped(Consumer<JsonNode> body) implements Expect {}

  record Warned(Consumer<JsonNode> body, String warning) implements Expect {}

  record Skipped(String why) implements Expect {}

  /** Azure cannot take the feature and is skipped up front (it receives nothing); Bedrock receives it mapped. */
  record AzureSkipped(String why, Consumer<JsonNode> body) implements Expect {}

  static Stream<Arguments> rows() {
    return Stream.of(
        new Row("strict tool", b -> b.user("hello").tool(new ToolDefinition("get_weather", "Weather", SCHEMA, true)),
            a -> assertThat(a.at("/tools/0/function/strict").asBoolean()).isTrue(),
            new Mapped(b -> assertThat(b.at("/toolConfig/tools/0/toolSpec/strict").asBoolean()).isTrue())),
        new Row("json schema description", b -> b.user("hello").responseFormat(ResponseFormat.jsonSchema("city", "The city asked about.", SCHEMA, true)),
            a -> assertThat(a.at("/response_format/json_schema/description").asText()).isEqualTo("The city asked about."),
            new Mapped(b -> assertThat(b.at("/toolConfig/tools/0/toolSpec/description").asText()).contains("The city asked about."))),
        new Row("image detail", b -> b.message(Message.user(ContentPart.text("what is this?"),
                ContentPart.image(PNG, "image/png").withDetail(ContentPart.ImageDetail.LOW))),
            a -> assertThat(a.at("/messages/0/content/1/image_url/detail").asText()).isEqualTo("low"),
            new Warned(b -> assertThat(b.at("/messages/0/content/1/image/format").asText()).isEqualTo("png"), "image detail")),
        new Row("several system text parts", b -> b.message(Message.system(ContentPart.text("Be brief."), ContentPart.text("Answer in French."))).user("hello"),
            a -> assertThat(a.at("/messages/0/content").size()).isEqualTo(2),
            new Mapped(b -> assertThat(b.path("system").findValuesAsText("text")).containsExactly("Be brief.", "Answer in French."))),
        new Row("document bytes", b -> b.message(Message.user(ContentPart.text("summarise"), ContentPart.document(PDF, "application/pdf", "report.pdf"))),
            a -> assertThat(a.at("/messages/0/content/1/file/file_data").asText()).startsWith("data:application/pdf;base64,"),
            new Mapped(b -> assertThat(b.at("/messages/0/content/1/document/format").asText()).isEqualTo("pdf"))),
        new Row("document by file id", b -> b.message(Message.user(ContentPart.text("summarise"), ContentPart.documentFile("file-abc123"))),
            a -> assertThat(a.at("/messages/0/content/1/file/file_id").asText()).isEqualTo("file-abc123"),
            new Skipped("file id")),
        new Row("reasoning effort", b -> b.user("hello").reasoning(ReasoningSettings.effort(ReasoningSettings.Effort.LOW)),
            a -> assertThat(a.path("reasoning_effort").asText()).isEqualTo("low"),
            new Mapped(b -> assertThat(b.at("/additionalModelRequestFields/output_config/effort").asText()).isEqualTo("low"))),
        new Row("reasoning budget", b -> b.user("hello").reasoning(ReasoningSettings.budget(1024)),
            a -> assertThat(a.has("reasoning_effort")).isFalse(),
            new Mapped(b -> assertThat(b.at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(1024))),
        new Row("topK", b -> b.user("hello").topK(20),
            a -> assertThat(a.has("top_k")).isFalse(),
            new Mapped(b -> assertThat(b.at("/additionalModelRequestFields/top_k").asInt()).isEqualTo(20))),
        new Row("parallel tool calls off", b -> b.user("hello").tool(ToolDefinition.of("calc", "Multiplies")).parallelToolCalls(false),
            a -> assertThat(a.path("parallel_tool_calls").asBoolean(true)).isFalse(),
            new Warned(b -> assertThat(b.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("calc"), "parallelToolCalls false")),
        new Row("tool result of parts", b -> b.user("chart it").tool(ToolDefinition.of("chart", "Draws a chart"))
                .message(AssistantMessage.of("", List.of(new ToolCall("call_1", "chart", "{}"))))
                .message(ToolResultMessage.of("call_1", ContentPart.text("Done:"), ContentPart.json("{\"bars\": 3}"),
                    ContentPart.image(PNG, "image/png"))),
            a -> {
              assertThat(a.at("/messages/2/role").asText()).isEqualTo("tool");
              assertThat(a.at("/messages/2/content").findValuesAsText("type")).containsOnly("text");
              assertThat(a.at("/messages/2/content/1/text").asText()).isEqualTo("{\"bars\": 3}");
              assertThat(a.at("/messages/3/role").asText()).isEqualTo("user");
              assertThat(a.at("/messages/3/content/1/image_url/url").asText()).startsWith("data:image/png;base64,");
            },
            new Mapped(b -> {
              JsonNode content = b.at("/messages/2/content/0/toolResult/content");
              assertThat(content.get(0).get("text").asText()).isEqualTo("Done:");
              assertThat(content.get(1).at("/json/bars").asInt()).isEqualTo(3);
              assertThat(content.get(2).at("/image/format").asText()).isEqualTo("png");
            })),
        new Row("video", b -> b.message(Message.user(ContentPart.text("what happens?"), ContentPart.video(new byte[] {0, 0, 0, 24}, "video/mp4"))),
            null,
            new AzureSkipped("does not read video", b -> {
              assertThat(b.at("/messages/0/content/1/video/format").asText()).isEqualTo("mp4");
              assertThat(b.at("/messages/0/content/1/video/source/bytes").asText()).isEqualTo("AAAAGA==");
            })))
        .map(Arguments::of);
  }

  @BeforeEach
  void start() throws IOException {
    azure = server(request -> {
      azureBodies.add(body(request));
      return new MockResponse.Builder().code(503).setHeader("Content-Type", "application/json")
          .body("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}").build();
    });
    bedrock = server(request -> {
      JsonNode body = body(request);
      bedrockBodies.add(body);
      JsonNode forced = body.at("/toolConfig/toolChoice/tool/name");
      String content = forced.isTextual()
          ? "{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"" + forced.asText() + "\",\"input\":{\"city\":\"Paris\"}}}"
          : "{\"text\":\"answer from Bedrock\"}";
      return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
          .body("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[" + content + "]}},\"stopReason\":\""
              + (forced.isTextual() ? "tool_use" : "end_turn") + "\",\"usage\":{\"inputTokens\":5,\"outputTokens\":3,\"totalTokens\":8},"
              + "\"metrics\":{\"latencyMs\":1}}").build();
    });
  }

  @AfterEach
  void stop() {
    azure.close();
    bedrock.close();
  }

  private static MockWebServer server(java.util.function.Function<RecordedRequest, MockResponse> answer) throws IOException {
    MockWebServer s = new MockWebServer();
    s.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer.apply(request);
      }
    });
    s.start(InetAddress.getLoopbackAddress(), 0);
    return s;
  }

  private static JsonNode body(RecordedRequest request) {
    try {
      okio.ByteString b = request.getBody();
      return JSON.readTree(b == null ? "{}" : b.utf8());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Switchboard switchboard() {
    return Switchboard.builder()
        .deployment(AzureOpenAi.deployment("azure").endpoint("http://127.0.0.1:" + azure.getPort()).apiKey(Secret.of("azurekey0123456789")).build())
        .deployment(Bedrock.deployment("bedrock").region("us-east-1").endpoint("http://127.0.0.1:" + bedrock.getPort())
            .staticCredentials(Secret.of("AKIDEXAMPLE"), Secret.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")).build())
        .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", BEDROCK_MODEL).build())
        // No retry on the same target: the row is about what each cloud receives, once.
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void azureFailsOverToBedrockWithTheFeature(Row row) {
    ChatRequest request = row.request().apply(ChatRequest.builder("chat")).build();
    try (Switchboard sb = switchboard()) {
      if (row.bedrock() instanceof Skipped skipped) {
        SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> sb.chat(request));
        assertThat(e).as("the only other target cannot take the request").isNotNull();
        assertThat(e.attempts()).extracting(Attempt::outcome).contains(Attempt.Outcome.SKIPPED);
        assertThat(e.attempts().stream().filter(a -> a.outcome() == Attempt.Outcome.SKIPPED).findFirst().orElseThrow().note())
            .hasValueSatisfying(n -> assertThat(n).contains(skipped.why()));
        assertThat(bedrock.getRequestCount()).as("requests that reached Bedrock").isZero();
      } else {
        ChatResponse r = sb.chat(request);
        assertThat(r.servedBy().deployment()).isEqualTo("bedrock");
        assertThat(bedrock.getRequestCount()).as("requests that reached Bedrock").isEqualTo(1);
        JsonNode sent = bedrockBodies.peek();
        if (row.bedrock() instanceof Mapped m) {
          m.body().accept(sent);
          assertThat(r.warnings()).as("warnings").isEmpty();
        } else if (row.bedrock() instanceof Warned w) {
          w.body().accept(sent);
          assertThat(r.warnings()).anyMatch(s -> s.contains(w.warning()));
        } else if (row.bedrock() instanceof AzureSkipped skipped) {
          skipped.body().accept(sent);
          assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.SKIPPED, Attempt.Outcome.SUCCEEDED);
          assertThat(r.warnings()).containsExactly("skipped target azure(azure-openai:gpt-4o): " + skipped.why());
          assertThat(azure.getRequestCount()).as("requests that reached Azure").isZero();
          return;
        }
      }
    }
    assertThat(azure.getRequestCount()).as("requests that reached Azure").isEqualTo(1);
    row.onAzure().accept(azureBodies.peek());
  }
}
