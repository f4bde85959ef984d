package dev.switchboard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.http.ErrorContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Converse response reader as it was before it read token streams (issue 22 item 6): a
 * Jackson tree of the whole body. Kept as the reference the streaming reader must agree with
 * ({@code ConverseReaderEquivalenceTest}). Maps a Converse response body to a {@link ChatResponse}: text blocks joined, {@code toolUse}
 * blocks as {@link ToolCall}s (input JSON as the arguments text) except the forced JSON-output
 * tool, whose input becomes the text; reasoning, latency and the raw stop reason as metadata
 * ({@link BedrockMetadata}); usage with cache read/write tokens. Server-side tools (Bedrock runs
 * them itself, {@code type: server_tool_use}) are not tool calls for the caller.
 */
final class TreeConverseReader {
  private final ObjectMapper mapper;
  private final ErrorContext context;

  TreeConverseReader(ObjectMapper mapper, ErrorContext context) {
    this.mapper = mapper;
    this.context = context;
  }

  ChatResponse read(byte[] body, TargetRef target, Optional<String> outputTool, String requestId) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw protocol("Converse response is not valid JSON", requestId);
    }
    if (root == null || !root.isObject()) throw protocol("Converse response is not a JSON object", requestId);
    JsonNode content = root.path("output").path("message").path("content");
    if (!content.isArray()) throw protocol("Converse response has no output.message.content", requestId);
    String stopReason = root.path("stopReason").isTextual() ? root.get("stopReason").asText() : null;
    if (stopReason == null) throw protocol("Converse response has no stopReason", requestId);

    StringBuilder text = new StringBuilder();
    List<dev.switchboard.Reasoning> reasoning = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : content) {
      if (block.hasNonNull("text")) {
        text.append(block.get("text").asText());
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        if ("server_tool_use".equals(use.path("type").asText())) continue;
        String name = use.path("name").asText("");
        String id = use.path("toolUseId").asText("");
        if (name.isEmpty() || id.isEmpty()) throw protocol("toolUse block without toolUseId or name", requestId);
        String input = use.has("input") ? use.get("input").toString() : "{}";
        if (outputTool.isPresent() && outputTool.get().equals(name)) {
          text.append(input);
        } else {
          calls.add(new ToolCall(id, name, input));
        }
      } else if (block.has("reasoningContent")) {
        JsonNode r = block.get("reasoningContent");
        dev.switchboard.Reasoning one = ConverseTokens.reasoningBlock(r.has("reasoningText"), r.path("reasoningText").path("text"),
            r.path("reasoningText").get("signature"), r.get("redactedContent"));
        if (one != null) reasoning.add(one);
      }
    }
    ChatResponse.Builder b = ChatResponse.builder()
        .message(AssistantMessage.of(text.toString(), calls).withReasoning(reasoning))
        .finishReason(StopReasons.map(stopReason, !calls.isEmpty()))
        .rawFinishReason(stopReason)
        .usage(ConverseResponseReader.usage(root.path("usage")))
        .model(target.model())
        .servedBy(target)
        .requestId(requestId)
        .metadata(BedrockMetadata.STOP_REASON, stopReason);
    if (root.path("serviceTier").path("type").isTextual()) b.serviceTier(root.get("serviceTier").get("type").asText());
    if (root.path("metrics").path("latencyMs").canConvertToLong()) {
      b.metadata(BedrockMetadata.LATENCY_MS, root.get("metrics").get("latencyMs").asLong());
    }
    return b.build();
  }

  private SwitchboardException protocol(String message, String requestId) {
    return context.error(ErrorKind.PROTOCOL, message).requestId(requestId).build();
  }
}
