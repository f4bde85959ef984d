package dev.switchboard.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.Usage;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.GuardedBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.List;
import java.util.Optional;

/**
 * Maps a Converse response body to a {@link ChatResponse}: text blocks joined, {@code toolUse}
 * blocks as {@link ToolCall}s (input JSON as the arguments text) except the forced JSON-output
 * tool, whose input becomes the text; {@code reasoningContent} blocks as the message's
 * {@link dev.switchboard.Reasoning} blocks (text and signature, or redacted content, unchanged);
 * latency and the raw stop reason as metadata ({@link BedrockMetadata}); usage with cache read/write tokens. Server-side tools (Bedrock runs
 * them itself, {@code type: server_tool_use}) are not tool calls for the caller.
 *
 * <p>The body is read as a token stream straight into the response ({@link ConverseTokens}),
 * never as a tree of the whole document: what it holds is the text it keeps. Read through a
 * {@link GuardedBody}, the parse stops within a few KB of input once the caller cancels or the
 * deadline passes. The result is the one a Jackson tree of the body would give (the last of
 * duplicate keys wins, anything after the top-level object is ignored).
 */
final class ConverseResponseReader {
  private final ObjectMapper mapper;
  private final ErrorContext context;

  ConverseResponseReader(ObjectMapper mapper, ErrorContext context) {
    this.mapper = mapper;
    this.context = context;
  }

  /** Reads a body held in memory. */
  ChatResponse read(byte[] body, TargetRef target, Optional<String> outputTool, String requestId) {
    try (JsonParser parser = mapper.getFactory().createParser(body)) {
      return read(parser, target, outputTool, requestId);
    } catch (IOException e) {
      throw protocol("Converse response is not valid JSON", requestId);
    }
  }

  /**
   * Reads {@code body} up to the end of its top-level value and leaves the rest unread (and the
   * stream open). A {@link GuardedBody.Failure} of a read (limit, deadline, cancellation, I/O)
   * ends it with that failure's error.
   */
  ChatResponse read(InputStream body, TargetRef target, Optional<String> outputTool, String requestId) {
    try {
      PushbackInputStream in = new PushbackInputStream(body, 1);
      int first;
      java.io.ByteArrayOutputStream skipped = null; // leading whitespace, kept only when there is some
      while ((first = in.read()) == ' ' || first == '\t' || first == '\n' || first == '\r') {
        if (skipped == null) skipped = new java.io.ByteArrayOutputStream();
        skipped.write(first);
      }
      if (first != '{') {
        // Not an object: an error whatever follows. Read the whole body, as received, as the
        // in-memory path does, because Jackson's stream parser checks the byte after a top-level
        // scalar ("null", "12") only when that scalar straddles one of its buffer loads, so the
        // outcome for "null\uFFFF" would otherwise depend on how the network chunked the body
        // (and Jackson reads "\n\0" and "\0" differently, so the whitespace stays too).
        java.io.ByteArrayOutputStream whole = skipped != null ? skipped : new java.io.ByteArrayOutputStream();
        if (first >= 0) whole.write(first);
        in.transferTo(whole);
        return read(whole.toByteArray(), target, outputTool, requestId);
      }
      in.unread(first);
      try (JsonParser parser = mapper.getFactory().createParser(in)) {
        parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        return read(parser, target, outputTool, requestId);
      }
    } catch (GuardedBody.Failure f) {
      throw f.error();
    } catch (IOException e) {
      throw protocol("Converse response is not valid JSON", requestId);
    }
  }

  private ChatResponse read(JsonParser parser, TargetRef target, Optional<String> outputTool, String requestId)
      throws IOException {
    ConverseTokens.Root root = new ConverseTokens(mapper, outputTool).root(parser);
    if (!root.isObject()) throw protocol("Converse response is not a JSON object", requestId);
    ConverseTokens.Content content = root.content();
    if (content == null) throw protocol("Converse response has no output.message.content", requestId);
    String stopReason = root.stopReason().isTextual() ? root.stopReason().asText() : null;
    if (stopReason == null) throw protocol("Converse response has no stopReason", requestId);
    if (content.error() != null) throw protocol(content.error(), requestId);

    List<ToolCall> calls = content.calls();
    ChatResponse.Builder b = ChatResponse.builder()
        .message(AssistantMessage.of(content.text(), calls).withReasoning(content.reasoning()))
        .rawFinishReason(stopReason)
        .finishReason(StopReasons.map(stopReason, !calls.isEmpty()))
        .usage(usage(root.usage()))
        .model(target.model())
        .servedBy(target)
        .requestId(requestId)
        .metadata(BedrockMetadata.STOP_REASON, stopReason);
    if (root.serviceTier().isTextual()) b.serviceTier(root.serviceTier().asText());
    if (root.latencyMs().canConvertToLong()) b.metadata(BedrockMetadata.LATENCY_MS, root.latencyMs().asLong());
    return b.build();
  }

  /** Token usage from a {@code usage} object; zeros when absent. */
  static Usage usage(JsonNode u) {
    Usage usage = Usage.of(Math.max(0, u.path("inputTokens").asInt(0)), Math.max(0, u.path("outputTokens").asInt(0)));
    if (u.path("cacheReadInputTokens").canConvertToInt()) usage = usage.withCachedInputTokens(Math.max(0, u.get("cacheReadInputTokens").asInt()));
    if (u.path("cacheWriteInputTokens").canConvertToInt()) usage = usage.withCacheWriteInputTokens(Math.max(0, u.get("cacheWriteInputTokens").asInt()));
    return usage;
  }

  private SwitchboardException protocol(String message, String requestId) {
    return context.error(ErrorKind.PROTOCOL, message).requestId(requestId).build();
  }
}
