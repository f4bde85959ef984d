package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ContentPart;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.Reasoning;
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
 * Writes {@code POST /responses} bodies with Jackson's streaming generator; see
 * {@link ResponsesWire} for the mapping and what is dropped or refused.
 */
final class ResponsesRequestWriter {
  /** Fields the codec owns; a provider option naming one is a conflict (or refused, below). */
  private static final Set<String> OWNED = Set.of("model", "input", "instructions", "stream");
  /**
   * Provider options refused with their reason: they need server-side state or polling, which a
   * request that may fail over to another cloud cannot depend on, or built-in tools.
   */
  private static final Map<String, String> REFUSED = Map.of(
      "tools", "built-in tools (web_search, file_search, code_interpreter, mcp, computer_use, image_generation, ...) are not"
          + " supported on api: responses; declare function tools with ChatRequest.tools",
      "previous_response_id", "Switchboard sends the whole conversation on every call so that any target can serve it;"
          + " server-side state (previous_response_id) is not supported",
      "conversation", "Switchboard sends the whole conversation on every call so that any target can serve it;"
          + " server-side conversations are not supported",
      "background", "background responses are answered by polling, which Switchboard does not do",
      "prompt", "stored prompts are server-side state, which Switchboard does not use");

  private final ObjectMapper mapper;

  ResponsesRequestWriter(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  ChatWire.Encoded write(ProviderRequest request, String model, OpenAiCodec.Options options) {
    List<String> warnings = new ArrayList<>(2);
    for (String key : options.extraFields().keySet()) {
      String reason = REFUSED.get(key);
      if (key.equals("background") && !Boolean.TRUE.equals(options.extraFields().get(key))) reason = null;
      if (reason != null) throw SwitchboardException.of(ErrorKind.INVALID_REQUEST, "provider option '" + key + "': " + reason);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      Set<String> written = new HashSet<>();
      g.writeStartObject();
      g.writeStringField("model", model);
      List<Message> messages = request.messages();
      int first = 0;
      StringBuilder instructions = null;
      while (first < messages.size() && messages.get(first) instanceof SystemMessage s) {
        if (instructions == null) instructions = new StringBuilder();
        else instructions.append("\n\n");
        instructions.append(s.text());
        first++;
      }
      if (instructions != null) g.writeStringField("instructions", instructions.toString());
      g.writeArrayFieldStart("input");
      int[] reasoning = {0, 0}; // sent, left out (another wire's)
      for (int i = first; i < messages.size(); i++) writeItem(g, messages.get(i), warnings, reasoning);
      g.writeEndArray();
      if (reasoning[1] > 0) {
        warnings.add(reasoning[1] + " reasoning block(s) from another API (Bedrock Converse or Chat Completions) were not sent:"
            + " the Responses API accepts only its own reasoning items back");
      }
      if (options.stream()) g.writeBooleanField("stream", true);
      boolean store = options.extraFields().containsKey("store");
      if (!store) g.writeBooleanField(field(written, "store"), false);
      // Without stored state the encrypted content is the only way the next turn gets the reasoning back.
      boolean includeReasoning = !store && (request.reasoning().isPresent() || options.extraFields().containsKey("reasoning")
          || reasoning[0] > 0);
      if (includeReasoning) writeInclude(g, field(written, "include"), options.extraFields().get("include"));
      if (request.temperature().isPresent()) g.writeNumberField(field(written, "temperature"), request.temperature().getAsDouble());
      if (request.topP().isPresent()) g.writeNumberField(field(written, "top_p"), request.topP().getAsDouble());
      if (request.maxTokens().isPresent()) g.writeNumberField(field(written, "max_output_tokens"), request.maxTokens().getAsInt());
      if (!request.stop().isEmpty()) warnings.add("stop sequences are not supported by the Responses API; dropped");
      if (request.seed().isPresent()) warnings.add("seed is not supported by the Responses API; dropped");
      if (request.user().isPresent()) g.writeStringField(field(written, "user"), request.user().get());
      if (!request.tools().isEmpty()) {
        field(written, "tools");
        g.writeArrayFieldStart("tools");
        for (ToolDefinition t : request.tools()) writeTool(g, t);
        g.writeEndArray();
      }
      if (request.toolChoice().isPresent()) writeToolChoice(g, field(written, "tool_choice"), request.toolChoice().get());
      if (request.parallelToolCalls().isPresent() && !request.tools().isEmpty()) {
        g.writeBooleanField(field(written, "parallel_tool_calls"), request.parallelToolCalls().get());
      }
      if (request.reasoning().isPresent()) writeReasoning(g, written, request.reasoning().get(), warnings);
      if (request.topK().isPresent()) warnings.add("topK is not supported by the Responses API; dropped");
      if (request.serviceTier().isPresent()) {
        RequestWriter.writeServiceTier(g, written, request.serviceTier().get(), "the Responses API", warnings);
      }
      writeFormat(g, written, request.responseFormat());
      for (Map.Entry<String, Object> e : options.extraFields().entrySet()) {
        String key = e.getKey();
        if (includeReasoning && key.equals("include")) continue; // merged above
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
      throw SwitchboardException.of(ErrorKind.INVALID_REQUEST, "a provider option cannot be written as JSON ("
          + e.getClass().getSimpleName() + ")");
    }
    return new ChatWire.Encoded(out.toByteArray(), warnings);
  }

  /** {@code reasoning: {effort, summary}}; the API has no field for a token budget. */
  private static void writeReasoning(JsonGenerator g, Set<String> written, dev.switchboard.ReasoningSettings r,
      List<String> warnings) throws IOException {
    if (r.budgetTokens().isPresent()) {
      warnings.add("a reasoning budget of " + r.budgetTokens().getAsInt()
          + " tokens is not supported by the Responses API; dropped (set a reasoning effort instead)");
    }
    if (r.effort().isEmpty() && r.summary().isEmpty()) return;
    g.writeObjectFieldStart(field(written, "reasoning"));
    if (r.effort().isPresent()) g.writeStringField("effort", r.effort().get().wireName());
    if (r.summary().isPresent()) g.writeStringField("summary", r.summary().get().wireName());
    g.writeEndObject();
  }

  private static String field(Set<String> written, String name) {
    written.add(name);
    return name;
  }

  /** {@code include} with {@code reasoning.encrypted_content} added to what the provider option asked for. */
  private void writeInclude(JsonGenerator g, String field, Object asked) throws IOException {
    List<Object> include = new ArrayList<>();
    if (asked instanceof java.util.Collection<?> c) {
      include.addAll(c);
    } else if (asked != null) {
      throw SwitchboardException.of(ErrorKind.INVALID_REQUEST, "provider option 'include' must be a list of strings");
    }
    if (!include.contains(ENCRYPTED_REASONING)) include.add(ENCRYPTED_REASONING);
    g.writeFieldName(field);
    mapper.writeValue(g, include);
  }

  private static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";

  private static void writeItem(JsonGenerator g, Message message, List<String> warnings, int[] reasoning) throws IOException {
    if (message instanceof SystemMessage s) {
      // A system message after the conversation began stays in place, as a system input message.
      g.writeStartObject();
      g.writeStringField("role", "system");
      g.writeStringField("content", s.text());
      g.writeEndObject();
    } else if (message instanceof UserMessage u) {
      g.writeStartObject();
      g.writeStringField("role", "user");
      ContentWriter.writeContent(g, ContentWriter.Api.RESPONSES, u.content());
      g.writeEndObject();
    } else if (message instanceof AssistantMessage a) {
      for (Reasoning r : a.reasoning()) {
        if (r.wire() != Reasoning.Wire.RESPONSES) {
          reasoning[1]++;
          continue;
        }
        reasoning[0]++;
        writeReasoning(g, r);
      }
      if (a.refusal().isPresent()) {
        warnings.add("an assistant refusal in the conversation is not sent: the Responses API takes refusals only in"
            + " output items it stored");
      }
      if (!a.text().isEmpty()) {
        g.writeStartObject();
        g.writeStringField("role", "assistant");
        g.writeStringField("content", a.text());
        g.writeEndObject();
      }
      for (ToolCall c : a.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("type", "function_call");
        g.writeStringField("call_id", c.id());
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.arguments());
        g.writeEndObject();
      }
    } else if (message instanceof ToolResultMessage t) {
      // Like Chat Completions, the Responses API has no error flag for a tool result: the output tells the model.
      g.writeStartObject();
      g.writeStringField("type", "function_call_output");
      g.writeStringField("call_id", t.toolCallId());
      // One text or JSON part is the output string, as before parts existed; otherwise a list of input items.
      if (t.isTextOnly() && t.content().size() == 1) {
        g.writeStringField("output", t.text());
      } else {
        g.writeArrayFieldStart("output");
        ContentWriter.writeParts(g, ContentWriter.Api.RESPONSES, t.content());
        g.writeEndArray();
      }
      g.writeEndObject();
    }
  }

  /** A reasoning item as the API returned it: id, summary parts, reasoning text, encrypted content. */
  private static void writeReasoning(JsonGenerator g, Reasoning r) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "reasoning");
    g.writeStringField("id", r.id().orElseThrow());
    g.writeArrayFieldStart("summary");
    for (String s : r.summary()) {
      g.writeStartObject();
      g.writeStringField("type", "summary_text");
      g.writeStringField("text", s);
      g.writeEndObject();
    }
    g.writeEndArray();
    if (!r.text().isEmpty()) {
      g.writeArrayFieldStart("content");
      g.writeStartObject();
      g.writeStringField("type", "reasoning_text");
      g.writeStringField("text", r.text());
      g.writeEndObject();
      g.writeEndArray();
    }
    if (r.encryptedContent().isPresent()) g.writeStringField("encrypted_content", r.encryptedContent().get());
    g.writeEndObject();
  }

  private static void writeTool(JsonGenerator g, ToolDefinition t) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "function");
    g.writeStringField("name", t.name());
    if (!t.description().isEmpty()) g.writeStringField("description", t.description());
    g.writeFieldName("parameters");
    g.writeRawValue(t.parametersSchema());
    // Always written: the Responses API treats a function tool without it as strict.
    g.writeBooleanField("strict", t.strict());
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
        g.writeStringField("name", choice.toolName().orElseThrow());
        g.writeEndObject();
      }
    }
  }

  private static void writeFormat(JsonGenerator g, Set<String> written, ResponseFormat format) throws IOException {
    if (format instanceof ResponseFormat.JsonObject) {
      g.writeObjectFieldStart(field(written, "text"));
      g.writeObjectFieldStart("format");
      g.writeStringField("type", "json_object");
      g.writeEndObject();
      g.writeEndObject();
    } else if (format instanceof ResponseFormat.JsonSchema s) {
      g.writeObjectFieldStart(field(written, "text"));
      g.writeObjectFieldStart("format");
      g.writeStringField("type", "json_schema");
      g.writeStringField("name", s.name());
      if (!s.description().isEmpty()) g.writeStringField("description", s.description());
      g.writeFieldName("schema");
      g.writeRawValue(s.schema());
      g.writeBooleanField("strict", s.strict());
      g.writeEndObject();
      g.writeEndObject();
    }
    // Text is the default: nothing written, so a provider option "text" (verbosity, say) may still be given.
  }
}
