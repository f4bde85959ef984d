package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ContentPart;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.SwitchboardException;
import dev.switchboard.SystemMessage;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import dev.switchboard.spi.ProviderRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes Chat Completions and embeddings request bodies straight to bytes with Jackson's
 * streaming generator: no intermediate tree, schemas and provider options copied as they are.
 */
final class RequestWriter {
  /** Fields the codec owns; a provider option naming one of them is a conflict. */
  private static final Set<String> OWNED = Set.of("model", "messages", "stream", "stream_options");

  private final ObjectMapper mapper;

  RequestWriter(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  byte[] chat(ProviderRequest request, String model, OpenAiCodec.Options options) {
    return chat(request, model, options, new java.util.ArrayList<>());
  }

  /** As above, adding to {@code warnings} what the request sets that Chat Completions has no field for. */
  byte[] chat(ProviderRequest request, String model, OpenAiCodec.Options options, List<String> warnings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      Set<String> written = new HashSet<>();
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("messages");
      writeMessages(g, request.messages());
      g.writeEndArray();
      if (options.stream()) {
        g.writeBooleanField("stream", true);
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      }
      if (request.temperature().isPresent()) {
        g.writeNumberField(field(written, "temperature"), request.temperature().getAsDouble());
      }
      if (request.topP().isPresent()) g.writeNumberField(field(written, "top_p"), request.topP().getAsDouble());
      if (request.maxTokens().isPresent()) {
        g.writeNumberField(field(written, options.maxTokensField().wireName()), request.maxTokens().getAsInt());
      }
      if (!request.stop().isEmpty()) {
        g.writeArrayFieldStart(field(written, "stop"));
        for (String s : request.stop()) g.writeString(s);
        g.writeEndArray();
      }
      if (request.seed().isPresent()) g.writeNumberField(field(written, "seed"), request.seed().getAsLong());
      if (request.user().isPresent()) g.writeStringField(field(written, "user"), request.user().get());
      if (!request.tools().isEmpty()) {
        g.writeArrayFieldStart(field(written, "tools"));
        for (ToolDefinition t : request.tools()) writeTool(g, t);
        g.writeEndArray();
      }
      if (request.toolChoice().isPresent()) writeToolChoice(g, field(written, "tool_choice"), request.toolChoice().get());
      // Without tools the API refuses parallel_tool_calls, and it would mean nothing.
      if (request.parallelToolCalls().isPresent() && !request.tools().isEmpty()) {
        g.writeBooleanField(field(written, "parallel_tool_calls"), request.parallelToolCalls().get());
      }
      if (request.reasoning().isPresent()) writeReasoning(g, written, request.reasoning().get(), warnings);
      if (request.topK().isPresent()) warnings.add("topK is not supported by Chat Completions and was not sent");
      if (request.serviceTier().isPresent()) writeServiceTier(g, written, request.serviceTier().get(), "Chat Completions", warnings);
      writeResponseFormat(g, written, request.responseFormat());
      for (Map.Entry<String, Object> e : options.extraFields().entrySet()) {
        String key = e.getKey();
        if (OWNED.contains(key) || written.contains(key)) {
          throw SwitchboardException.of(ErrorKind.INVALID_REQUEST,
              "provider option '" + key + "' conflicts with a field the request already sets");
        }
        g.writeFieldName(key);
        mapper.writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      // Only a provider option Jackson cannot serialize gets here: writing to memory does not fail.
      throw SwitchboardException.builder(ErrorKind.INVALID_REQUEST,
          "provider options cannot be written as JSON: " + e.getMessage()).cause(e).build();
    }
    return out.toByteArray();
  }

  byte[] embeddings(EmbeddingRequest request, String model) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("input");
      for (String s : request.inputs()) g.writeString(s);
      g.writeEndArray();
      if (request.dimensions().isPresent()) g.writeNumberField("dimensions", request.dimensions().getAsInt());
      g.writeStringField("encoding_format", "float");
      if (request.user().isPresent()) g.writeStringField("user", request.user().get());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code reasoning_effort}; Chat Completions has no field for a budget or a summary. */
  private static void writeReasoning(JsonGenerator g, Set<String> written, dev.switchboard.ReasoningSettings r,
      List<String> warnings) throws IOException {
    if (r.effort().isPresent()) g.writeStringField(field(written, "reasoning_effort"), r.effort().get().wireName());
    if (r.budgetTokens().isPresent()) {
      warnings.add("reasoning budget of " + r.budgetTokens().getAsInt()
          + " tokens is not supported by Chat Completions and was not sent; set a reasoning effort instead");
    }
    if (r.summary().isPresent()) warnings.add("reasoning summary is not supported by Chat Completions and was not sent");
  }

  /**
   * {@code service_tier}, for the tiers OpenAI has (both its APIs take the same values); Bedrock's
   * {@code reserved} has no OpenAI equivalent and becomes a warning.
   */
  static void writeServiceTier(JsonGenerator g, Set<String> written, dev.switchboard.ServiceTier tier, String api,
      List<String> warnings) throws IOException {
    if (tier == dev.switchboard.ServiceTier.RESERVED) {
      warnings.add("service tier reserved is not supported by " + api + " and was not sent");
      return;
    }
    g.writeStringField(field(written, "service_tier"), tier.wireName());
  }

  private static String field(Set<String> written, String name) {
    written.add(name);
    return name;
  }

  private static void writeMessage(JsonGenerator g, Message message) throws IOException {
    g.writeStartObject();
    if (message instanceof SystemMessage s) {
      g.writeStringField("role", "system");
      writeTextContent(g, s.parts());
    } else if (message instanceof UserMessage u) {
      g.writeStringField("role", "user");
      ContentWriter.writeContent(g, ContentWriter.Api.CHAT_COMPLETIONS, u.content());
    } else if (message instanceof AssistantMessage a) {
      g.writeStringField("role", "assistant");
      // With tool calls and no text the API expects content null, not "".
      if (a.parts().size() > 1) writeTextContent(g, a.parts());
      else if (a.text().isEmpty() && a.hasToolCalls()) g.writeNullField("content");
      else g.writeStringField("content", a.text());
      if (a.refusal().isPresent()) g.writeStringField("refusal", a.refusal().get());
      if (a.hasToolCalls()) {
        g.writeArrayFieldStart("tool_calls");
        for (ToolCall c : a.toolCalls()) {
          g.writeStartObject();
          g.writeStringField("id", c.id());
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", c.name());
          g.writeStringField("arguments", c.arguments());
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
    } else if (message instanceof ToolResultMessage t) {
      // Chat Completions has no error flag for tool results; the content tells the model.
      g.writeStringField("role", "tool");
      g.writeStringField("tool_call_id", t.toolCallId());
      writeToolContent(g, t);
    }
    g.writeEndObject();
  }

  /**
   * The messages in order. A tool message takes text parts only (the OpenAPI spec's
   * {@code ChatCompletionRequestToolMessageContentPart} is text), so a tool result's images and
   * documents follow in one user message after the run of tool messages they belong to: the API
   * wants every tool message right after the assistant turn that called the tools.
   */
  private static void writeMessages(JsonGenerator g, List<Message> messages) throws IOException {
    List<ToolResultMessage> withMedia = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      writeMessage(g, m);
      if (m instanceof ToolResultMessage t && !t.isTextOnly()) withMedia.add(t);
      boolean runEnds = i + 1 == messages.size() || !(messages.get(i + 1) instanceof ToolResultMessage);
      if (runEnds && !withMedia.isEmpty()) {
        writeToolMedia(g, withMedia);
        withMedia.clear();
      }
    }
  }

  /** A string for one text or JSON part, else text parts; a pointer to the media sent after it. */
  private static void writeToolContent(JsonGenerator g, ToolResultMessage t) throws IOException {
    List<ContentPart> text = t.content().stream().filter(p -> p instanceof ContentPart.Text || p instanceof ContentPart.Json)
        .toList();
    boolean media = text.size() < t.content().size();
    if (!media && text.size() == 1) {
      g.writeStringField("content", t.text());
      return;
    }
    g.writeArrayFieldStart("content");
    ContentWriter.writeParts(g, ContentWriter.Api.CHAT_COMPLETIONS, text);
    if (media) {
      g.writeStartObject();
      g.writeStringField("type", "text");
      g.writeStringField("text", mediaNote(t));
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** The text part a tool message with images or documents ends with; the user message after it opens with {@link #mediaHeading}. */
  static String mediaNote(ToolResultMessage t) {
    return "[images or documents of this result follow in the next user message, after \"" + mediaHeading(t) + "\"]";
  }

  static String mediaHeading(ToolResultMessage t) {
    return "Output of tool call " + t.toolCallId() + ":";
  }

  private static void writeToolMedia(JsonGenerator g, List<ToolResultMessage> results) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", "user");
    g.writeArrayFieldStart("content");
    for (ToolResultMessage t : results) {
      g.writeStartObject();
      g.writeStringField("type", "text");
      g.writeStringField("text", mediaHeading(t));
      g.writeEndObject();
      ContentWriter.writeParts(g, ContentWriter.Api.CHAT_COMPLETIONS, t.content().stream()
          .filter(p -> !(p instanceof ContentPart.Text || p instanceof ContentPart.Json)).toList());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** One text part as a string (what every server reads), several as an array of text parts. */
  private static void writeTextContent(JsonGenerator g, List<ContentPart.Text> parts) throws IOException {
    if (parts.size() == 1) {
      g.writeStringField("content", parts.get(0).text());
      return;
    }
    g.writeArrayFieldStart("content");
    for (ContentPart.Text t : parts) {
      g.writeStartObject();
      g.writeStringField("type", "text");
      g.writeStringField("text", t.text());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeTool(JsonGenerator g, ToolDefinition t) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "function");
    g.writeObjectFieldStart("function");
    g.writeStringField("name", t.name());
    if (!t.description().isEmpty()) g.writeStringField("description", t.description());
    g.writeFieldName("parameters");
    // ToolDefinition checked that the schema is one JSON object, so it can be copied verbatim.
    g.writeRawValue(t.parametersSchema());
    if (t.strict()) g.writeBooleanField("strict", true);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeToolChoice(JsonGenerator g, String field, ToolChoice choice) throws IOException {
    switch (choice.mode()) {
      case AUTO -> g.writeStringField(field, "auto");
      case NONE -> g.writeStringField(field, "none");
      case REQUIRED -> g.writeStringField(field, "required");
      case TOOL -> {
        g.writeObjectFieldStart(field);
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", choice.toolName().orElseThrow());
        g.writeEndObject();
        g.writeEndObject();
      }
    }
  }

  private static void writeResponseFormat(JsonGenerator g, Set<String> written, ResponseFormat format) throws IOException {
    if (format instanceof ResponseFormat.JsonObject) {
      g.writeObjectFieldStart(field(written, "response_format"));
      g.writeStringField("type", "json_object");
      g.writeEndObject();
    } else if (format instanceof ResponseFormat.JsonSchema s) {
      g.writeObjectFieldStart(field(written, "response_format"));
      g.writeStringField("type", "json_schema");
      g.writeObjectFieldStart("json_schema");
      g.writeStringField("name", s.name());
      if (!s.description().isEmpty()) g.writeStringField("description", s.description());
      g.writeFieldName("schema");
      g.writeRawValue(s.schema());
      g.writeBooleanField("strict", s.strict());
      g.writeEndObject();
      g.writeEndObject();
    }
    // Text is the API's default: nothing to send.
  }
}
