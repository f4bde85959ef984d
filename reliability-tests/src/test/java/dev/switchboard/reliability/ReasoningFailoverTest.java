package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Message;
import dev.switchboard.ModelAlias;
import dev.switchboard.Reasoning;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.azure.UrlStyle;
import dev.switchboard.openai.OpenAiApi;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cross-API reasoning rule on a real failover, Azure OpenAI (Responses API, v1 URL) → Bedrock
 * (Converse) and back: the conversation the application replays carries reasoning; each cloud
 * gets its own back unchanged (Responses: the item with its encrypted content and
 * {@code include: ["reasoning.encrypted_content"]}, also on the attempt that fails with 503), the
 * other's is left out of the request, and the answer says so in a warning. What reached each
 * loopback server is counted and read.
 */
class ReasoningFailoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-20250514-v1:0";
  private static final String ENCRYPTED = "gAAAAABpM0Yj-encrypted-reasoning=";
  private static final String SIGNATURE = "EqQBCkgIARABGAIiQL3signature";

  private MockWebServer azure;
  private MockWebServer bedrock;
  private final ConcurrentLinkedQueue<MockResponse> azureAnswers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<MockResponse> bedrockAnswers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<JsonNode> azureBodies = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<JsonNode> bedrockBodies = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws IOException {
    azure = server(azureAnswers, azureBodies);
    bedrock = server(bedrockAnswers, bedrockBodies);
  }

  @AfterEach
  void stop() throws IOException {
    azure.close();
    bedrock.close();
  }

  private static MockWebServer server(ConcurrentLinkedQueue<MockResponse> answers, ConcurrentLinkedQueue<JsonNode> bodies)
      throws IOException {
    MockWebServer s = new MockWebServer();
    s.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        try {
          bodies.add(JSON.readTree(request.getBody() == null ? "{}" : request.getBody().utf8()));
        } catch (IOException e) {
          throw new AssertionError(e);
        }
        MockResponse next = answers.poll();
        return next != null ? next : new MockResponse.Builder().code(500).body("{}").build();
      }
    });
    s.start(InetAddress.getLoopbackAddress(), 0);
    return s;
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static MockResponse unavailable() {
    return new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
        .body("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}").build();
  }

  private Switchboard switchboard() {
    return Switchboard.builder()
        .deployment(AzureOpenAi.deployment("azure").endpoint("http://127.0.0.1:" + azure.getPort()).urlStyle(UrlStyle.V1)
            .api(OpenAiApi.RESPONSES).apiKey(Secret.of("azurekey0123456789")).build())
        .deployment(Bedrock.deployment("bedrock").region("us-east-1").endpoint("http://127.0.0.1:" + bedrock.getPort())
            .staticCredentials(Secret.of("AKIDEXAMPLE"), Secret.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")).build())
        .model(ModelAlias.builder("azure-first").target("azure", "gpt-5").target("bedrock", BEDROCK_MODEL).build())
        .model(ModelAlias.builder("bedrock-first").target("bedrock", BEDROCK_MODEL).target("azure", "gpt-5").build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .build();
  }

  /** Shaped like the recorded Azure v1 answer of gpt-5.5 (a reasoning item with encrypted content, then the message). */
  private static final String AZURE_REASONING_ANSWER = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\","
      + "\"error\":null,\"incomplete_details\":null,\"model\":\"gpt-5\",\"service_tier\":\"default\",\"store\":false,\"output\":["
      + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"content\":[],\"summary\":[{\"type\":\"summary_text\",\"text\":\"France's capital.\"}],"
      + "\"encrypted_content\":\"" + ENCRYPTED + "\"},"
      + "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
      + "\"text\":\"Paris.\",\"annotations\":[],\"logprobs\":[]}]}],"
      + "\"usage\":{\"input_tokens\":9,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":20,"
      + "\"output_tokens_details\":{\"reasoning_tokens\":16},\"total_tokens\":29}}";

  /** The input item the Responses API must get back: the output item's id, summary and encrypted content, unchanged. */
  private static final String REASONING_ITEM_SENT_BACK = "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":"
      + "\"summary_text\",\"text\":\"France's capital.\"}],\"encrypted_content\":\"" + ENCRYPTED + "\"}";

  private static final String CONVERSE_WARNING = "1 reasoning block(s) from another API (Chat Completions or Responses) were not"
      + " sent: Bedrock Converse accepts only its own reasoning back";
  private static final String RESPONSES_WARNING = "1 reasoning block(s) from another API (Bedrock Converse or Chat Completions)"
      + " were not sent: the Responses API accepts only its own reasoning items back";

  @Test
  void responsesReasoningInTheHistoryGoesBackToAzureAndIsLeftOutOfTheFailoverToConverse() throws IOException {
    // Turn 1 on Azure: a reasoning item with encrypted content, then the answer.
    azureAnswers.add(json(AZURE_REASONING_ANSWER));
    // Turn 2: Azure is down (503), Bedrock answers with its own reasoning (text + signature).
    azureAnswers.add(unavailable());
    bedrockAnswers.add(json("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":["
        + "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"Spain's capital.\",\"signature\":\"" + SIGNATURE + "\"}}},"
        + "{\"text\":\"Madrid.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":20,\"outputTokens\":9,\"totalTokens\":29},"
        + "\"metrics\":{\"latencyMs\":120}}"));

    AssistantMessage paris;
    try (Switchboard sb = switchboard()) {
      ChatResponse first = sb.chat(ChatRequest.builder("azure-first").user("Capital of France?").build());
      assertThat(first.servedBy().deployment()).isEqualTo("azure");
      paris = first.message();
      assertThat(paris.reasoning()).containsExactly(Reasoning.builder(Reasoning.Wire.RESPONSES).id("rs_1")
          .summary("France's capital.").encryptedContent(ENCRYPTED).build());

      // The application replays the conversation, Azure's reasoning item included.
      ChatResponse second = sb.chat(ChatRequest.builder("azure-first").user("Capital of France?").message(paris)
          .user("And Spain?").build());
      assertThat(second.servedBy().deployment()).isEqualTo("bedrock");
      assertThat(second.text()).isEqualTo("Madrid.");
      assertThat(second.attempts()).extracting(a -> a.target().deployment() + ":" + a.outcome())
          .containsExactly("azure:FAILED", "bedrock:SUCCEEDED");
      assertThat(second.warnings()).containsExactly(CONVERSE_WARNING);
    }

    assertThat(azure.getRequestCount()).as("requests that reached Azure").isEqualTo(2);
    assertThat(bedrock.getRequestCount()).as("requests that reached Bedrock").isEqualTo(1);
    List<JsonNode> az = List.copyOf(azureBodies);
    // The 503'd attempt of turn 2: the reasoning item went back exactly as it came, with include.
    JsonNode refused = az.get(1);
    assertThat(reasoningItems(refused)).containsExactly(JSON.readTree(REASONING_ITEM_SENT_BACK));
    assertThat(refused.get("include")).isEqualTo(JSON.readTree("[\"reasoning.encrypted_content\"]"));
    assertThat(refused.get("store").asBoolean(true)).isFalse();
    assertThat(refused.get("input").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Capital of France?\"},"
        + REASONING_ITEM_SENT_BACK + ",{\"role\":\"assistant\",\"content\":\"Paris.\"},{\"role\":\"user\",\"content\":\"And Spain?\"}]");
    // Bedrock got the same conversation without any trace of the OpenAI reasoning item.
    JsonNode converse = bedrockBodies.peek();
    assertThat(converse.toString()).doesNotContain(ENCRYPTED).doesNotContain("rs_1").doesNotContain("France's capital.")
        .doesNotContain("reasoningContent");
    assertThat(converse.get("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":[{\"text\":\"Capital of France?\"}]},"
        + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Paris.\"}]},{\"role\":\"user\",\"content\":[{\"text\":\"And Spain?\"}]}]");
  }

  @Test
  void converseReasoningInTheHistoryGoesBackToBedrockAndIsLeftOutOfTheFailoverToAzure() throws IOException {
    Reasoning azureItem = Reasoning.builder(Reasoning.Wire.RESPONSES).id("rs_1").summary("France's capital.")
        .encryptedContent(ENCRYPTED).build();
    Reasoning bedrockBlock = Reasoning.builder(Reasoning.Wire.CONVERSE).text("Spain's capital.").signature(SIGNATURE).build();
    AssistantMessage paris = AssistantMessage.of("Paris.").withReasoning(List.of(azureItem));
    AssistantMessage madrid = AssistantMessage.of("Madrid.").withReasoning(List.of(bedrockBlock));
    bedrockAnswers.add(unavailable());
    azureAnswers.add(json("{\"id\":\"resp_3\",\"object\":\"response\",\"status\":\"completed\",\"error\":null,"
        + "\"incomplete_details\":null,\"model\":\"gpt-5\",\"output\":[{\"type\":\"message\",\"id\":\"msg_3\",\"status\":\"completed\","
        + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Rome.\",\"annotations\":[]}]}],"
        + "\"usage\":{\"input_tokens\":30,\"output_tokens\":2,\"total_tokens\":32}}"));

    try (Switchboard sb = switchboard()) {
      ChatResponse third = sb.chat(ChatRequest.builder("bedrock-first").user("Capital of France?").message(paris)
          .user("And Spain?").message(madrid).user("And Italy?").build());
      assertThat(third.servedBy().deployment()).isEqualTo("azure");
      assertThat(third.text()).isEqualTo("Rome.");
      assertThat(third.attempts()).extracting(a -> a.target().deployment() + ":" + a.outcome())
          .containsExactly("bedrock:FAILED", "azure:SUCCEEDED");
      assertThat(third.warnings()).containsExactly(RESPONSES_WARNING);
    }

    assertThat(bedrock.getRequestCount()).as("requests that reached Bedrock").isEqualTo(1);
    assertThat(azure.getRequestCount()).as("requests that reached Azure").isEqualTo(1);
    // Bedrock's 503'd attempt: its own block leads its assistant turn, unchanged; Azure's item is absent.
    JsonNode converse = bedrockBodies.peek();
    assertThat(converse.toString()).doesNotContain(ENCRYPTED).doesNotContain("rs_1").doesNotContain("France's capital.");
    JsonNode madridTurn = converse.get("messages").get(3);
    assertThat(madridTurn.toString()).isEqualTo("{\"role\":\"assistant\",\"content\":[{\"reasoningContent\":{\"reasoningText\":"
        + "{\"text\":\"Spain's capital.\",\"signature\":\"" + SIGNATURE + "\"}}},{\"text\":\"Madrid.\"}]}");
    assertThat(converse.get("messages").get(1).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":[{\"text\":\"Paris.\"}]}");
    // Azure: its own item back unchanged with include, Bedrock's text and signature nowhere.
    JsonNode responses = azureBodies.peek();
    assertThat(reasoningItems(responses)).containsExactly(JSON.readTree(REASONING_ITEM_SENT_BACK));
    assertThat(responses.get("include")).isEqualTo(JSON.readTree("[\"reasoning.encrypted_content\"]"));
    assertThat(responses.toString()).doesNotContain(SIGNATURE).doesNotContain("Spain's capital.");
  }

  private static List<JsonNode> reasoningItems(JsonNode body) {
    List<JsonNode> out = new java.util.ArrayList<>();
    body.get("input").forEach(i -> {
      if (i.path("type").asText().equals("reasoning")) out.add(i);
    });
    return out;
  }
}
