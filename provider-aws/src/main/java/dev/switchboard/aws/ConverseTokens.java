package dev.switchboard.aws;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One pass over the tokens of a Converse body, keeping only what {@link ConverseResponseReader}
 * uses: the content blocks as text, reasoning and tool calls, the stop reason, usage and latency.
 * Scalars the reader looks at become the value nodes a Jackson tree would hold, and objects it
 * does not look into become empty ones, so every check and conversion is the tree reader's own
 * ({@code asText("")}, {@code canConvertToInt} ...), with the same result for odd input; but no
 * tree of the body is ever built (nor of a tool's input, see {@link CompactJson}). Where keys
 * repeat the last wins, as in a tree. Every value is still parsed in full, so a syntax error
 * anywhere fails the body as before.
 * One instance per body.
 */
final class ConverseTokens {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper mapper;
  private final Optional<String> outputTool;

  ConverseTokens(ObjectMapper mapper, Optional<String> outputTool) {
    this.mapper = mapper;
    this.outputTool = outputTool;
  }

  /** The top level; {@code content} is null unless {@code output.message.content} is an array. */
  record Root(boolean isObject, Content content, JsonNode stopReason, JsonNode usage, JsonNode latencyMs, JsonNode serviceTier) {
    static final Root NOT_AN_OBJECT = new Root(false, null, MissingNode.getInstance(), MissingNode.getInstance(),
        MissingNode.getInstance(), MissingNode.getInstance());
  }

  /** The content blocks, folded as the tree reader folds them; {@code error} is the first bad block's. */
  static final class Content {
    private final StringBuilder text = new StringBuilder();
    private final List<dev.switchboard.Reasoning> reasoning = new ArrayList<>(0);
    private final List<ToolCall> calls = new ArrayList<>();
    private String error;

    String text() {
      return text.toString();
    }

    /** The reasoning blocks in order, each as it came (text and signature, or redacted content). */
    List<dev.switchboard.Reasoning> reasoning() {
      return reasoning;
    }

    List<ToolCall> calls() {
      return calls;
    }

    String error() {
      return error;
    }
  }

  /** Reads the first value of {@code p}; anything after it is left unread. */
  Root root(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) return Root.NOT_AN_OBJECT;
    if (t != JsonToken.START_OBJECT) {
      skip(p);
      return Root.NOT_AN_OBJECT;
    }
    Content content = null;
    JsonNode stopReason = MissingNode.getInstance();
    JsonNode usage = MissingNode.getInstance();
    JsonNode latency = MissingNode.getInstance();
    JsonNode serviceTier = MissingNode.getInstance();
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "output" -> content = output(p);
        case "stopReason" -> stopReason = value(p);
        case "usage" -> usage = usage(p);
        case "metrics" -> latency = latency(p);
        case "serviceTier" -> serviceTier = serviceTierType(p);
        default -> skip(p);
      }
    }
    expectEndObject(p, t);
    return new Root(true, content, stopReason, usage, latency, serviceTier);
  }

  /** {@code output}: the content of its (last) {@code message}, or null. */
  private Content output(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return null;
    }
    Content content = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("message")) {
        content = message(p);
      } else {
        skip(p);
      }
    }
    expectEndObject(p, t);
    return content;
  }

  /** {@code output.message}: its (last) {@code content} if that is an array, else null. */
  private Content message(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return null;
    }
    Content content = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("content") && p.currentToken() == JsonToken.START_ARRAY) {
        content = blocks(p);
      } else {
        if (name.equals("content")) content = null;
        skip(p);
      }
    }
    expectEndObject(p, t);
    return content;
  }

  /** The content array; elements that are not objects are ignored, as the tree reader ignores them. */
  private Content blocks(JsonParser p) throws IOException {
    Content content = new Content();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) throw new JsonParseException(p, "unexpected end of input");
      if (t == JsonToken.START_OBJECT) {
        block(p, content);
      } else {
        skip(p);
      }
    }
    return content;
  }

  /** One content block, folded into {@code content} once all its fields are read (their order does not matter). */
  private void block(JsonParser p, Content content) throws IOException {
    JsonNode text = null;
    ToolUse use = null;
    ReasoningFields reasoning = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "text" -> text = value(p);
        case "toolUse" -> use = toolUse(p);
        case "reasoningContent" -> reasoning = reasoning(p);
        default -> skip(p);
      }
    }
    expectEndObject(p, t);
    if (content.error != null) return; // the tree reader stopped at the first bad block
    if (text != null && !text.isNull()) {
      content.text.append(text.asText());
    } else if (use != null) {
      if ("server_tool_use".equals(use.type.asText())) return;
      String name = use.name.asText("");
      String id = use.id.asText("");
      if (name.isEmpty() || id.isEmpty()) {
        content.error = "toolUse block without toolUseId or name";
        return;
      }
      String input = use.input == null ? "{}" : use.input;
      if (outputTool.isPresent() && outputTool.get().equals(name)) {
        content.text.append(input);
      } else {
        content.calls.add(new ToolCall(id, name, input));
      }
    } else if (reasoning != null) {
      dev.switchboard.Reasoning r = reasoningBlock(reasoning.hasText, reasoning.text, reasoning.signature, reasoning.redacted);
      if (r != null) content.reasoning.add(r);
    }
  }

  /**
   * One {@code reasoningContent} block as a {@link Reasoning}: with a {@code reasoningText} member
   * its text and signature (a null or blank signature is none), else its {@code redactedContent};
   * null when the block holds nothing that could be sent back. Shared with the test's tree reader.
   */
  static dev.switchboard.Reasoning reasoningBlock(boolean hasText, JsonNode text, JsonNode signature, JsonNode redacted) {
    if (hasText) {
      String sig = signature == null || signature.isNull() ? "" : signature.asText("");
      String t = text == null ? "" : text.asText("");
      if (t.isEmpty() && sig.isBlank()) return null;
      return dev.switchboard.Reasoning.builder(dev.switchboard.Reasoning.Wire.CONVERSE).text(t).signature(sig.isBlank() ? null : sig).build();
    }
    if (redacted == null || redacted.isNull()) return null;
    String blob = redacted.asText("");
    return blob.isEmpty() ? null : dev.switchboard.Reasoning.builder(dev.switchboard.Reasoning.Wire.CONVERSE).encryptedContent(blob).build();
  }

  /** A {@code toolUse} value; one that is not an object has no type, name, id or input. */
  private static final class ToolUse {
    JsonNode type = MissingNode.getInstance();
    JsonNode name = MissingNode.getInstance();
    JsonNode id = MissingNode.getInstance();
    String input;
  }

  private ToolUse toolUse(JsonParser p) throws IOException {
    ToolUse use = new ToolUse();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return use;
    }
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "type" -> use.type = value(p);
        case "name" -> use.name = value(p);
        case "toolUseId" -> use.id = value(p);
        case "input" -> use.input = CompactJson.copy(p, mapper);
        default -> skip(p);
      }
    }
    expectEndObject(p, t);
    return use;
  }

  /** A {@code reasoningContent} value: {@code reasoningText} (text, signature) or {@code redactedContent}. */
  private static final class ReasoningFields {
    boolean hasText;
    JsonNode text = MissingNode.getInstance();
    JsonNode signature;
    JsonNode redacted;
  }

  private ReasoningFields reasoning(JsonParser p) throws IOException {
    ReasoningFields r = new ReasoningFields();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return r;
    }
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("reasoningText")) {
        r.hasText = true;
        r.text = MissingNode.getInstance();
        r.signature = null;
        if (p.currentToken() == JsonToken.START_OBJECT) {
          JsonToken u;
          while ((u = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
              case "text" -> r.text = value(p);
              case "signature" -> r.signature = value(p);
              default -> skip(p);
            }
          }
          expectEndObject(p, u);
        } else {
          skip(p);
        }
      } else if (name.equals("redactedContent")) {
        r.redacted = value(p);
      } else {
        skip(p);
      }
    }
    expectEndObject(p, t);
    return r;
  }

  /** {@code usage}: its token counts as value nodes, for {@link ConverseResponseReader#usage}. */
  private JsonNode usage(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return MissingNode.getInstance();
    }
    ObjectNode usage = NODES.objectNode();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens" -> usage.set(name, value(p));
        default -> skip(p);
      }
    }
    expectEndObject(p, t);
    return usage;
  }

  /** {@code serviceTier.type}, or a missing node. */
  private JsonNode serviceTierType(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return MissingNode.getInstance();
    }
    JsonNode type = MissingNode.getInstance();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("type")) {
        type = value(p);
      } else {
        skip(p);
      }
    }
    expectEndObject(p, t);
    return type;
  }

  /** {@code metrics.latencyMs}, or a missing node. */
  private JsonNode latency(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return MissingNode.getInstance();
    }
    JsonNode latency = MissingNode.getInstance();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("latencyMs")) {
        latency = value(p);
      } else {
        skip(p);
      }
    }
    expectEndObject(p, t);
    return latency;
  }

  /**
   * The current value as the node a tree would hold for it, for the scalars the reader reads;
   * an object or array is read and becomes an empty one (the reader only asks such a value
   * for its text, "", or whether it is null).
   */
  static JsonNode value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        skip(p);
        return NODES.objectNode();
      case START_ARRAY:
        skip(p);
        return NODES.arrayNode();
      case VALUE_STRING:
        return TextNode.valueOf(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> IntNode.valueOf(p.getIntValue());
          case LONG -> LongNode.valueOf(p.getLongValue());
          default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return DoubleNode.valueOf(p.getDoubleValue());
      case VALUE_TRUE:
        return BooleanNode.TRUE;
      case VALUE_FALSE:
        return BooleanNode.FALSE;
      case VALUE_NULL:
        return NullNode.getInstance();
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  private static void expectEndObject(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.END_OBJECT) throw new JsonParseException(p, "unexpected token " + t);
  }

  /** Skips the current value, parsing all of it (strings decoded too, so bad input fails as in a tree). */
  static void skip(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      int depth = 1;
      while (depth > 0) {
        t = p.nextToken();
        if (t == null) throw new JsonParseException(p, "unexpected end of input");
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        } else if (t == JsonToken.VALUE_STRING) {
          p.finishToken();
        }
      }
    } else if (t == JsonToken.VALUE_STRING) {
      p.finishToken();
    }
  }
}
