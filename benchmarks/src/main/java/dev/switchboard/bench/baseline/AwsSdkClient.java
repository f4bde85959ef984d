package dev.switchboard.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.SystemMessage;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * The second Bedrock baseline: the AWS SDK's own {@link BedrockRuntimeClient} as a user would
 * build it — default HTTP client (the SDK's Apache 5 client, the only synchronous one on the
 * class path), default retry strategy, SigV4 with static IAM keys (not a Bedrock API key, which
 * skips signing) — pointed at the benchmark stub with {@code endpointOverride}. The
 * {@link ConverseRequest} is built once, as the {@link ChatRequest} handed to Switchboard is, so
 * each call pays what the SDK does per call: marshalling, signing, sending, unmarshalling.
 */
public final class AwsSdkClient implements AutoCloseable {
  private final BedrockRuntimeClient client;
  private final ConverseRequest request;

  public AwsSdkClient(String baseUrl, ChatRequest request, String modelId) {
    this.client = BedrockRuntimeClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create(baseUrl))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDBENCHEXAMPLE", "bench-secret-key")))
        .build();
    this.request = converse(request, modelId);
  }

  /** One non-streamed Converse call; returns the answer's text. */
  public String chat() {
    ConverseResponse response = client.converse(request);
    StringBuilder text = new StringBuilder();
    for (ContentBlock b : response.output().message().content()) {
      if (b.text() != null) text.append(b.text());
    }
    return text.toString();
  }

  /** The same conversation as {@code request}, in the SDK's model. */
  public static ConverseRequest converse(ChatRequest request, String modelId) {
    List<SystemContentBlock> system = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    List<ContentBlock> user = null; // Bedrock wants turns to alternate: user blocks join one turn
    for (dev.switchboard.Message m : request.messages()) {
      if (m instanceof SystemMessage s) {
        system.add(SystemContentBlock.fromText(s.text()));
        continue;
      }
      if (m instanceof AssistantMessage a) {
        if (user != null) messages.add(Message.builder().role(ConversationRole.USER).content(user).build());
        user = null;
        List<ContentBlock> content = new ArrayList<>();
        if (!a.text().isEmpty()) content.add(ContentBlock.fromText(a.text()));
        for (ToolCall c : a.toolCalls()) {
          content.add(ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(c.id()).name(c.name())
              .input(document(c.arguments())).build()));
        }
        messages.add(Message.builder().role(ConversationRole.ASSISTANT).content(content).build());
        continue;
      }
      if (user == null) user = new ArrayList<>();
      if (m instanceof UserMessage u) {
        user.add(ContentBlock.fromText(TreeCodec.text(u)));
      } else if (m instanceof ToolResultMessage t) {
        user.add(ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(t.toolCallId())
            .content(ToolResultContentBlock.fromText(t.text())).build()));
      }
    }
    if (user != null) messages.add(Message.builder().role(ConversationRole.USER).content(user).build());
    ConverseRequest.Builder b = ConverseRequest.builder().modelId(modelId).system(system).messages(messages)
        .inferenceConfig(i -> {
          request.maxTokens().ifPresent(i::maxTokens);
          request.temperature().ifPresent(t -> i.temperature((float) t));
        });
    if (!request.tools().isEmpty()) {
      List<Tool> tools = new ArrayList<>();
      for (ToolDefinition t : request.tools()) {
        tools.add(Tool.fromToolSpec(ToolSpecification.builder().name(t.name()).description(t.description())
            .inputSchema(ToolInputSchema.fromJson(document(t.parametersSchema()))).build()));
      }
      b.toolConfig(c -> c.tools(tools));
    }
    return b.build();
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Document document(String json) {
    try {
      return document(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Document document(JsonNode n) {
    if (n.isObject()) {
      Map<String, Document> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), document(e.getValue())));
      return Document.fromMap(m);
    }
    if (n.isArray()) {
      List<Document> l = new ArrayList<>();
      n.forEach(e -> l.add(document(e)));
      return Document.fromList(l);
    }
    if (n.isTextual()) return Document.fromString(n.textValue());
    if (n.isBoolean()) return Document.fromBoolean(n.booleanValue());
    if (n.isIntegralNumber()) return Document.fromNumber(n.longValue());
    if (n.isNumber()) return Document.fromNumber(n.doubleValue());
    return Document.fromNull();
  }

  @Override
  public void close() {
    client.close();
  }
}
