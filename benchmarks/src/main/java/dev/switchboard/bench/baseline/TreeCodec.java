package dev.switchboard.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ContentPart;
import dev.switchboard.FinishReason;
import dev.switchboard.Message;
import dev.switchboard.SystemMessage;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.Usage;
import dev.switchboard.UserMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline codec: what an application would write with Jackson's tree model and no library,
 * doing the same translation work as Switchboard's codecs (same request fields, same response
 * fields into the same {@link ChatResponse} type). Deliberately straightforward, not tuned.
 */
public final class TreeCodec {
  /** What the raw client's responses name as their server (a response must name one). */
  public static final TargetRef RAW = new TargetRef("raw", "raw", "raw");

  private final ObjectMapper mapper;

  public TreeCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  // ---- OpenAI / Azure ---------------------------------------------------------------------------

  public byte[] openAiRequest(ChatRequest request, String model, boolean stream) {
    ObjectNode root = mapper.createObjectNode();
    root.put("model", model);
    ArrayNode messages = root.putArray("messages");
    for (Message m : request.messages()) {
      ObjectNode o = messages.addObject();
      if (m instanceof SystemMessage s) {
        o.put("role", "system").put("content", s.text());
      } else if (m instanceof UserMessage u) {
        o.put("role", "user").put("content", text(u));
      } else if (m instanceof AssistantMessage a) {
        o.put("role", "assistant");
        if (a.text().isEmpty() && a.hasToolCalls()) o.putNull("content");
        else o.put("content", a.text());
        if (a.hasToolCalls()) {
          ArrayNode calls = o.putArray("tool_calls");
          for (ToolCall c : a.toolCalls()) {
            ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
            call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
          }
        }
      } else if (m instanceof ToolResultMessage t) {
        o.put("role", "tool").put("tool_call_id", t.toolCallId()).put("content", t.text());
      }
    }
    if (stream) {
      root.put("stream", true);
      root.putObject("stream_options").put("include_usage", true);
    }
    request.temperature().ifPresent(t -> root.put("temperature", t));
    request.maxTokens().ifPresent(n -> root.put("max_completion_tokens", n));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (ToolDefinition t : request.tools()) {
        ObjectNode f = tools.addObject().put("type", "function").putObject("function");
        f.put("name", t.name()).put("description", t.description());
        f.set("parameters", tree(t.parametersSchema()));
      }
    }
    return bytes(root);
  }

  /** A non-streamed Chat Completions body into a response (text, tool calls, finish reason, usage, model, id). */
  public ChatResponse openAiResponse(byte[] body) {
    JsonNode root = tree(body);
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      calls.add(new ToolCall(c.path("id").asText(), c.path("function").path("name").asText(),
          c.path("function").path("arguments").asText()));
    }
    JsonNode usage = root.path("usage");
    return ChatResponse.builder()
        .message(AssistantMessage.of(message.path("content").asText(""), calls))
        .finishReason(openAiFinish(choice.path("finish_reason").asText("stop")))
        .usage(Usage.of(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt()))
        .model(root.path("model").asText())
        .id(root.path("id").asText())
        .servedBy(RAW)
        .build();
  }

  /** The text of one stream chunk's delta, or null when it has none. */
  public String openAiChunkText(String data) {
    JsonNode content = tree(data).path("choices").path(0).path("delta").path("content");
    return content.isTextual() ? content.asText() : null;
  }

  static FinishReason openAiFinish(String wire) {
    return switch (wire) {
      case "length" -> FinishReason.LENGTH;
      case "tool_calls" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP;
    };
  }

  // ---- Bedrock Converse -------------------------------------------------------------------------

  public byte[] bedrockRequest(ChatRequest request) {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode messages = root.putArray("messages");
    ArrayNode system = mapper.createArrayNode();
    for (Message m : request.messages()) {
      if (m instanceof SystemMessage s) {
        system.addObject().put("text", s.text());
      } else if (m instanceof UserMessage u) {
        userTurn(messages).addObject().put("text", text(u));
      } else if (m instanceof AssistantMessage a) {
        ObjectNode turn = messages.addObject().put("role", "assistant");
        ArrayNode content = turn.putArray("content");
        if (!a.text().isEmpty()) content.addObject().put("text", a.text());
        for (ToolCall c : a.toolCalls()) {
          ObjectNode use = content.addObject().putObject("toolUse");
          use.put("toolUseId", c.id()).put("name", c.name());
          use.set("input", tree(c.arguments()));
        }
      } else if (m instanceof ToolResultMessage t) {
        ObjectNode result = userTurn(messages).addObject().putObject("toolResult");
        result.put("toolUseId", t.toolCallId());
        result.putArray("content").addObject().put("text", t.text());
      }
    }
    if (!system.isEmpty()) root.set("system", system);
    ObjectNode inference = root.putObject("inferenceConfig");
    request.maxTokens().ifPresent(n -> inference.put("maxTokens", n));
    request.temperature().ifPresent(t -> inference.put("temperature", t));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = root.putObject("toolConfig").putArray("tools");
      for (ToolDefinition t : request.tools()) {
        ObjectNode spec = tools.addObject().putObject("toolSpec");
        spec.put("name", t.name()).put("description", t.description());
        spec.putObject("inputSchema").set("json", tree(t.parametersSchema()));
      }
    }
    return bytes(root);
  }

  /** Bedrock wants user and assistant turns to alternate: a user block joins a preceding user turn. */
  private static ArrayNode userTurn(ArrayNode messages) {
    JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    if (last != null && "user".equals(last.path("role").asText())) return (ArrayNode) last.get("content");
    return messages.addObject().put("role", "user").putArray("content");
  }

  public ChatResponse bedrockResponse(byte[] body, String model) {
    JsonNode root = tree(body);
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : root.path("output").path("message").path("content")) {
      if (block.has("text")) {
        text.append(block.get("text").asText());
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        calls.add(new ToolCall(use.path("toolUseId").asText(), use.path("name").asText(), use.path("input").toString()));
      }
    }
    JsonNode usage = root.path("usage");
    String stop = root.path("stopReason").asText();
    return ChatResponse.builder()
        .message(AssistantMessage.of(text.toString(), calls))
        .finishReason(switch (stop) {
          case "max_tokens" -> FinishReason.LENGTH;
          case "tool_use" -> FinishReason.TOOL_CALLS;
          case "content_filtered", "guardrail_intervened" -> FinishReason.CONTENT_FILTER;
          default -> FinishReason.STOP;
        })
        .usage(Usage.of(usage.path("inputTokens").asInt(), usage.path("outputTokens").asInt()))
        .model(model)
        .servedBy(RAW)
        .build();
  }

  /** The text of one ConverseStream event payload, or null when it has none. */
  public String bedrockPayloadText(byte[] payload) {
    JsonNode text = tree(payload).path("delta").path("text");
    return text.isTextual() ? text.asText() : null;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  static String text(UserMessage u) {
    StringBuilder b = new StringBuilder();
    for (ContentPart p : u.content()) {
      if (p instanceof ContentPart.Text t) b.append(t.text());
    }
    return b.toString();
  }

  public JsonNode tree(byte[] json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] bytes(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
