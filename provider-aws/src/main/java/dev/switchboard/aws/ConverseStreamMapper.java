package dev.switchboard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.Reasoning;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ResponseMetadata;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Turns ConverseStream frames into {@link ChatEvent}s, one stream's worth of state. Text deltas
 * become {@link ChatEvent.TextDelta}s; a {@code toolUse} block becomes
 * {@link ChatEvent.ToolCallDelta}s numbered in order of appearance (id and name first, then the
 * input fragments; a tool with no input gets {@code {}} so that streamed and non-streamed
 * arguments agree); the forced JSON-output tool's input becomes text; {@code messageStop} becomes
 * {@link ChatEvent.Finish} and {@code metadata} a {@link ChatEvent.UsageUpdate}. A
 * {@code reasoningContent} block's deltas become {@link ChatEvent.ReasoningDelta}s numbered in
 * order of appearance (text fragments, then the signature; or the redacted content). {@code :message-type = exception} frames become typed errors.
 * Not thread-safe: one reading thread drives it.
 */
final class ConverseStreamMapper {
  private enum BlockKind { TEXT, TOOL, OUTPUT_TOOL, REASONING, IGNORED }

  private static final class Block {
    final BlockKind kind;
    /** The tool call's event index, or the reasoning block's. */
    final int toolIndex;
    boolean sawInput;
    boolean sawReasoningText;
    boolean sawRedacted;

    Block(BlockKind kind, int toolIndex) {
      this.kind = kind;
      this.toolIndex = toolIndex;
    }
  }

  private final ObjectMapper mapper;
  private final ErrorContext context;
  private final Optional<String> outputTool;
  private final List<Secret> secrets;
  private final String requestId;
  private final Map<Integer, Block> blocks = new HashMap<>();
  private int toolCalls;
  private int reasoningBlocks;
  private String stopReason;
  private Long latencyMs;
  private String serviceTier;

  ConverseStreamMapper(ObjectMapper mapper, ErrorContext context, Optional<String> outputTool, List<Secret> secrets, String requestId) {
    this.mapper = mapper;
    this.context = context;
    this.outputTool = outputTool;
    this.secrets = secrets;
    this.requestId = requestId;
  }

  /** Whether {@code messageStop} arrived: only then may the stream complete normally. */
  boolean finished() {
    return stopReason != null;
  }

  /** Maps one frame, handing the events it yields to {@code out}; throws the error an exception frame carries. */
  void accept(Message frame, Consumer<ChatEvent> out) {
    Map<String, HeaderValue> headers = frame.getHeaders();
    String messageType = header(headers, ":message-type");
    if ("exception".equals(messageType)) {
      String type = header(headers, ":exception-type");
      throw BedrockErrors.fromStreamException(type == null ? "UnknownException" : type, frame.getPayload(), mapper,
          context, secrets, requestId);
    }
    if ("error".equals(messageType)) {
      // Server-supplied, like any error text: scrubbed of the credentials before it is kept.
      String code = dev.switchboard.http.HttpErrors.field(header(headers, ":error-code"), secrets);
      String message = header(headers, ":error-message");
      throw context.error(ErrorKind.SERVER_ERROR, "in-stream error " + code
              + (message == null ? "" : ": " + dev.switchboard.http.HttpErrors.snippet(message, secrets)))
          .providerCode(code).providerMessage(dev.switchboard.http.HttpErrors.message(message, secrets)).requestId(requestId).build();
    }
    if (messageType != null && !"event".equals(messageType)) {
      throw protocol("event-stream frame with unknown :message-type " + messageType);
    }
    String eventType = header(headers, ":event-type");
    if (eventType == null) throw protocol("event-stream event without :event-type");
    JsonNode payload;
    try {
      payload = mapper.readTree(frame.getPayload());
    } catch (IOException e) {
      throw protocol(eventType + " event payload is not valid JSON");
    }
    if (payload == null || !payload.isObject()) throw protocol(eventType + " event payload is not a JSON object");
    switch (eventType) {
      case "contentBlockStart" -> blockStart(payload, out);
      case "contentBlockDelta" -> blockDelta(payload, out);
      case "contentBlockStop" -> blockStop(payload, out);
      case "messageStop" -> {
        if (!payload.path("stopReason").isTextual()) throw protocol("messageStop without stopReason");
        stopReason = payload.get("stopReason").asText();
        out.accept(new ChatEvent.Finish(StopReasons.map(stopReason, toolCalls > 0)));
      }
      case "metadata" -> {
        if (payload.has("usage")) out.accept(new ChatEvent.UsageUpdate(ConverseResponseReader.usage(payload.get("usage"))));
        if (payload.path("metrics").path("latencyMs").canConvertToLong()) latencyMs = payload.get("metrics").get("latencyMs").asLong();
        if (payload.path("serviceTier").path("type").isTextual()) serviceTier = payload.get("serviceTier").get("type").asText();
      }
      default -> { } // messageStart, and event types added after this was written
    }
  }

  private void blockStart(JsonNode payload, Consumer<ChatEvent> out) {
    int index = blockIndex(payload);
    JsonNode use = payload.path("start").path("toolUse");
    if (use.isMissingNode()) {
      blocks.put(index, new Block(BlockKind.IGNORED, -1)); // server-side tool results and other non-tool starts
      return;
    }
    String name = use.path("name").asText("");
    String id = use.path("toolUseId").asText("");
    if (name.isEmpty() || id.isEmpty()) throw protocol("contentBlockStart toolUse without toolUseId or name");
    if ("server_tool_use".equals(use.path("type").asText())) {
      blocks.put(index, new Block(BlockKind.IGNORED, -1));
    } else if (outputTool.isPresent() && outputTool.get().equals(name)) {
      blocks.put(index, new Block(BlockKind.OUTPUT_TOOL, -1));
    } else {
      Block block = new Block(BlockKind.TOOL, toolCalls++);
      blocks.put(index, block);
      out.accept(new ChatEvent.ToolCallDelta(block.toolIndex, Optional.of(id), Optional.of(name), ""));
    }
  }

  private void blockDelta(JsonNode payload, Consumer<ChatEvent> out) {
    int index = blockIndex(payload);
    JsonNode delta = payload.path("delta");
    if (delta.has("text")) {
      String text = delta.get("text").asText();
      Block block = blocks.computeIfAbsent(index, i -> new Block(BlockKind.TEXT, -1));
      if (block.kind == BlockKind.TOOL || block.kind == BlockKind.OUTPUT_TOOL) throw protocol("text delta for content block " + index + ", which is a tool block");
      if (!text.isEmpty()) out.accept(new ChatEvent.TextDelta(text));
    } else if (delta.has("toolUse")) {
      Block block = blocks.get(index);
      if (block == null || block.kind == BlockKind.TEXT) {
        throw protocol("toolUse delta for content block " + index + " without a toolUse contentBlockStart");
      }
      String input = delta.get("toolUse").path("input").asText("");
      if (input.isEmpty()) return;
      block.sawInput = true;
      if (block.kind == BlockKind.TOOL) {
        out.accept(new ChatEvent.ToolCallDelta(block.toolIndex, Optional.empty(), Optional.empty(), input));
      } else if (block.kind == BlockKind.OUTPUT_TOOL) {
        out.accept(new ChatEvent.TextDelta(input));
      }
    } else if (delta.has("reasoningContent")) {
      reasoningDelta(index, delta.get("reasoningContent"), out);
    }
    // citation, toolResult (server-side tools) and image deltas carry nothing the common events model
  }

  private void reasoningDelta(int index, JsonNode r, Consumer<ChatEvent> out) {
    Block block = blocks.get(index);
    if (block == null || block.kind == BlockKind.IGNORED) {
      // Reasoning blocks have no contentBlockStart today; one without a toolUse would have marked the block ignored.
      block = new Block(BlockKind.REASONING, reasoningBlocks++);
      blocks.put(index, block);
    }
    if (block.kind != BlockKind.REASONING) throw protocol("reasoningContent delta for content block " + index + ", which is not a reasoning block");
    String text = r.path("text").isTextual() ? r.get("text").asText() : "";
    String signature = r.path("signature").isTextual() ? r.get("signature").asText() : "";
    String redacted = r.path("redactedContent").isTextual() ? r.get("redactedContent").asText() : "";
    block.sawReasoningText |= !text.isEmpty() || !signature.isEmpty();
    block.sawRedacted |= !redacted.isEmpty();
    // reasoningContent is a union: a block that mixed both could not be sent back.
    if (block.sawReasoningText && block.sawRedacted) throw protocol("reasoning block " + index + " has both text and redacted content");
    Reasoning.Wire wire = Reasoning.Wire.CONVERSE;
    if (!text.isEmpty()) out.accept(ChatEvent.ReasoningDelta.text(block.toolIndex, wire, text));
    if (!signature.isBlank()) {
      out.accept(new ChatEvent.ReasoningDelta(block.toolIndex, wire, "", OptionalInt.empty(), Optional.empty(),
          Optional.of(signature), Optional.empty()));
    }
    if (!redacted.isEmpty()) {
      out.accept(new ChatEvent.ReasoningDelta(block.toolIndex, wire, "", OptionalInt.empty(), Optional.empty(),
          Optional.empty(), Optional.of(redacted)));
    }
  }

  private void blockStop(JsonNode payload, Consumer<ChatEvent> out) {
    Block block = blocks.remove(blockIndex(payload));
    if (block == null || block.sawInput) return;
    if (block.kind == BlockKind.TOOL) {
      out.accept(new ChatEvent.ToolCallDelta(block.toolIndex, Optional.empty(), Optional.empty(), "{}"));
    } else if (block.kind == BlockKind.OUTPUT_TOOL) {
      out.accept(new ChatEvent.TextDelta("{}"));
    }
  }

  private int blockIndex(JsonNode payload) {
    JsonNode index = payload.get("contentBlockIndex");
    if (index == null || !index.canConvertToInt() || index.asInt() < 0) throw protocol("event without a valid contentBlockIndex");
    return index.asInt();
  }

  /** What the stream taught besides its events, for core's final response. */
  ResponseMetadata metadata(String model, List<String> warnings) {
    Map<String, Object> meta = new LinkedHashMap<>();
    if (stopReason != null) meta.put(BedrockMetadata.STOP_REASON, stopReason);
    if (latencyMs != null) meta.put(BedrockMetadata.LATENCY_MS, latencyMs);
    return new ResponseMetadata(model, Optional.empty(), Optional.ofNullable(requestId), Optional.empty(), meta, warnings,
        Optional.ofNullable(stopReason), Optional.ofNullable(serviceTier).filter(t -> !t.isBlank()));
  }

  private static String header(Map<String, HeaderValue> headers, String name) {
    HeaderValue v = headers.get(name);
    if (v == null) return null;
    try {
      return v.getString();
    } catch (RuntimeException notAString) {
      return null;
    }
  }

  private SwitchboardException protocol(String message) {
    return context.error(ErrorKind.PROTOCOL, message).requestId(requestId).build();
  }
}
