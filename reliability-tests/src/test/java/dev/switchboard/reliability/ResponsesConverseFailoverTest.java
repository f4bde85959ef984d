package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.azure.UrlStyle;
import dev.switchboard.openai.OpenAiApi;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Failover across wires: one alias whose targets speak different APIs. Azure OpenAI on the
 * Responses API ({@code /openai/v1/responses}) failing with 503 or 429 fails over to Bedrock
 * Converse, for calls and for streams; Bedrock's OpenAI-compatible Chat Completions endpoint
 * ({@code api: openai-chat}) failing in Bedrock's error envelope fails over to Azure Responses.
 * Each side is a loopback MockWebServer whose request count is what the assertions read: the
 * failing target got exactly one request (no retry is configured, so none is hidden), the next one
 * exactly one, and after a 429 the cooling-down target is skipped and receives nothing more.
 */
class ResponsesConverseFailoverTest {
  private static final String BEDROCK_MODEL = "us.openai.gpt-oss-120b-1:0";
  private static final String AZURE_KEY = "azurekey0123456789";

  private final List<MockWebServer> servers = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> azurePaths = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> bedrockPaths = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> bedrockAuth = new ConcurrentLinkedQueue<>();

  @AfterEach
  void stop() {
    servers.forEach(MockWebServer::close);
  }

  private MockWebServer server(Function<RecordedRequest, MockResponse> answer) throws IOException {
    MockWebServer s = new MockWebServer();
    s.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer.apply(request);
      }
    });
    s.start(InetAddress.getLoopbackAddress(), 0);
    servers.add(s);
    return s;
  }

  private static String path(RecordedRequest r) {
    return r.getUrl().encodedPath();
  }

  private static MockResponse azureFailure(int status) {
    MockResponse.Builder b = new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json");
    if (status == 429) {
      return b.setHeader("Retry-After", "30").body("{\"error\":{\"code\":\"429\",\"message\":\"Requests to the Responses API"
          + " have exceeded the rate limit. Please retry after 30 seconds.\"}}").build();
    }
    return b.body("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is temporarily unable to process"
        + " your request.\"}}").build();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static final String CONVERSE_ANSWER = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":"
      + "\"Paris, from Converse.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":5,\"outputTokens\":4,"
      + "\"totalTokens\":9},\"metrics\":{\"latencyMs\":1}}";

  private static final String RESPONSES_ANSWER = "{\"id\":\"resp_az\",\"object\":\"response\",\"status\":\"completed\","
      + "\"error\":null,\"incomplete_details\":null,\"model\":\"gpt-5-mini\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\","
      + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Paris, from Responses.\","
      + "\"annotations\":[]}]}],\"usage\":{\"input_tokens\":6,\"output_tokens\":4,\"total_tokens\":10}}";

  private static byte[] converseStream(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, "messageStart", "{\"role\":\"assistant\"}");
    frame(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}");
    frame(out, "contentBlockStop", "{\"contentBlockIndex\":0}");
    frame(out, "messageStop", "{\"stopReason\":\"end_turn\"}");
    frame(out, "metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":2,\"totalTokens\":5},\"metrics\":{\"latencyMs\":1}}");
    return out.toByteArray();
  }

  private static void frame(ByteArrayOutputStream out, String type, String json) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":event-type", HeaderValue.fromString(type));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("event"));
    ByteBuffer b = new Message(h, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    out.write(bytes, 0, bytes.length);
  }

  /** Azure Responses (failing with {@code status}) first, Bedrock Converse second. */
  private Switchboard azureResponsesThenConverse(MockWebServer azure, MockWebServer bedrock) {
    return Switchboard.builder()
        .deployment(AzureOpenAi.deployment("azure-responses").endpoint("http://127.0.0.1:" + azure.getPort())
            .urlStyle(UrlStyle.V1).api(OpenAiApi.RESPONSES).apiKey(Secret.of(AZURE_KEY)).build())
        .deployment(Bedrock.deployment("bedrock-converse").region("us-east-1").endpoint("http://127.0.0.1:" + bedrock.getPort())
            .staticCredentials(Secret.of("AKIDEXAMPLE"), Secret.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")).build())
        .model(ModelAlias.builder("gpt").target("azure-responses", "gpt-5-mini").target("bedrock-converse", BEDROCK_MODEL).build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .build();
  }

  private MockWebServer failingAzure(int status) throws IOException {
    return server(r -> {
      azurePaths.add(path(r));
      return azureFailure(status);
    });
  }

  private MockWebServer converse() throws IOException {
    return server(r -> {
      String p = path(r);
      bedrockPaths.add(p);
      bedrockAuth.add(String.valueOf(r.getHeaders().get("Authorization")));
      if (p.endsWith("/converse-stream")) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/vnd.amazon.eventstream")
            .body(new Buffer().write(converseStream("Paris, streamed from Converse."))).build();
      }
      return json(CONVERSE_ANSWER);
    });
  }

  @ParameterizedTest(name = "Azure {0}")
  @CsvSource({"503, UNAVAILABLE", "429, RATE_LIMITED"})
  void azureResponsesFailingFailsOverToBedrockConverse(int status, ErrorKind kind) throws IOException {
    MockWebServer azure = failingAzure(status);
    MockWebServer bedrock = converse();
    try (Switchboard sb = azureResponsesThenConverse(azure, bedrock)) {
      ChatResponse r = sb.chat(ChatRequest.builder("gpt").system("Be brief.").user("Capital of France?").build());

      assertThat(r.text()).isEqualTo("Paris, from Converse.");
      assertThat(r.servedBy().deployment()).isEqualTo("bedrock-converse");
      assertThat(r.rawFinishReason()).contains("end_turn");
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(r.attempts().get(0).errorKind()).contains(kind);
      assertThat(azure.getRequestCount()).as("requests that reached Azure").isEqualTo(1);
      assertThat(bedrock.getRequestCount()).as("requests that reached Bedrock").isEqualTo(1);
      assertThat(azurePaths).containsExactly("/openai/v1/responses");
      assertThat(bedrockPaths).containsExactly("/model/" + BEDROCK_MODEL.replace(":", "%3A") + "/converse");
      assertThat(bedrockAuth).allSatisfy(a -> assertThat(a).startsWith("AWS4-HMAC-SHA256 ").contains("/us-east-1/bedrock/aws4_request"));

      ChatResponse again = sb.chat(ChatRequest.of("gpt", "And of Spain?"));
      assertThat(again.servedBy().deployment()).isEqualTo("bedrock-converse");
      assertThat(bedrock.getRequestCount()).isEqualTo(2);
      if (status == 429) {
        // Retry-After 30 s: Azure cools down and is skipped, not asked again.
        assertThat(again.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.SKIPPED, Attempt.Outcome.SUCCEEDED);
        assertThat(azure.getRequestCount()).as("requests that reached Azure while it cools down").isEqualTo(1);
      } else {
        assertThat(azure.getRequestCount()).as("a 503 does not cool a target down: Azure is asked again").isEqualTo(2);
      }
    }
  }

  @Test
  void anAzureResponsesStreamFailingBeforeItsFirstEventFailsOverToConverseStream() throws IOException {
    MockWebServer azure = failingAzure(503);
    MockWebServer bedrock = converse();
    List<ChatEvent> events = new ArrayList<>();
    ChatResponse r;
    try (Switchboard sb = azureResponsesThenConverse(azure, bedrock);
        ChatStream s = sb.stream(ChatRequest.of("gpt", "Capital of France?"))) {
      s.forEach(events::add);
      r = s.response().join();
    }
    assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance)
        .containsExactly(new ChatEvent.TextDelta("Paris, streamed from Converse."));
    assertThat(r.servedBy().deployment()).isEqualTo("bedrock-converse");
    assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    assertThat(azure.getRequestCount()).as("requests that reached Azure").isEqualTo(1);
    assertThat(bedrock.getRequestCount()).as("requests that reached Bedrock").isEqualTo(1);
    assertThat(azurePaths).containsExactly("/openai/v1/responses");
    assertThat(bedrockPaths).containsExactly("/model/" + BEDROCK_MODEL.replace(":", "%3A") + "/converse-stream");
  }

  @ParameterizedTest(name = "Bedrock {0} {1}")
  @CsvSource({
      "503, ServiceUnavailableException, UNAVAILABLE",
      "429, ThrottlingException, RATE_LIMITED",
  })
  void bedrockOpenAiChatFailingFailsOverToAzureResponses(int status, String errorType, ErrorKind kind) throws IOException {
    MockWebServer bedrock = server(r -> {
      bedrockPaths.add(path(r));
      bedrockAuth.add(String.valueOf(r.getHeaders().get("Authorization")));
      return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
          .setHeader("x-amzn-RequestId", "req-b-1")
          .setHeader("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
          .body("{\"message\":\"" + (status == 429 ? "Too many requests, please wait before trying again."
              : "Bedrock is unable to process your request.") + "\"}").build();
    });
    MockWebServer azure = server(r -> {
      azurePaths.add(path(r));
      return json(RESPONSES_ANSWER);
    });
    try (Switchboard sb = Switchboard.builder()
        .deployment(Bedrock.deployment("bedrock-oai").region("us-west-2").endpoint("http://127.0.0.1:" + bedrock.getPort())
            .api("openai-chat").staticCredentials(Secret.of("AKIDEXAMPLE"), Secret.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
            .build())
        .deployment(AzureOpenAi.deployment("azure-responses").endpoint("http://127.0.0.1:" + azure.getPort())
            .urlStyle(UrlStyle.V1).api(OpenAiApi.RESPONSES).apiKey(Secret.of(AZURE_KEY)).build())
        .model(ModelAlias.builder("gpt").target("bedrock-oai", BEDROCK_MODEL).target("azure-responses", "gpt-5-mini").build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .build()) {
      ChatResponse r = sb.chat(ChatRequest.of("gpt", "Capital of France?"));

      assertThat(r.text()).isEqualTo("Paris, from Responses.");
      assertThat(r.servedBy().deployment()).isEqualTo("azure-responses");
      assertThat(r.rawFinishReason()).contains("completed");
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(r.attempts().get(0).errorKind()).contains(kind);
      assertThat(r.attempts().get(0).error()).hasValueSatisfying(e -> {
        assertThat(e.providerCode()).as("classified from Bedrock's envelope").contains(errorType);
        assertThat(e.requestId()).contains("req-b-1");
      });
      assertThat(bedrock.getRequestCount()).as("requests that reached Bedrock").isEqualTo(1);
      assertThat(azure.getRequestCount()).as("requests that reached Azure").isEqualTo(1);
      assertThat(bedrockPaths).containsExactly("/openai/v1/chat/completions");
      assertThat(bedrockAuth).singleElement().satisfies(a -> assertThat(a).contains("/us-west-2/bedrock/aws4_request"));
      assertThat(azurePaths).containsExactly("/openai/v1/responses");
    }
  }
}
