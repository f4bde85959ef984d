package dev.switchboard.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.AssistantMessage;
import dev.switchboard.CachePoints;
import dev.switchboard.ContentPart;
import dev.switchboard.ErrorKind;
import dev.switchboard.Message;
import dev.switchboard.Reasoning;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ServiceTier;
import dev.switchboard.SwitchboardException;
import dev.switchboard.SystemMessage;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps a {@link ProviderRequest} to a Converse / ConverseStream request body (both operations take
 * the same body; the model id goes in the path).
 *
 * <ul>
 *   <li>System messages become {@code system} blocks; the other turns become {@code messages},
 *       consecutive turns of one role merged, since Bedrock wants user and assistant to alternate.
 *   <li>An assistant turn's {@link Reasoning} of wire CONVERSE becomes its leading
 *       {@code reasoningContent} blocks, unchanged ({@code reasoningText} with the signature, or
 *       {@code redactedContent}); reasoning from another API is left out with a warning.
 *   <li>Assistant tool calls become {@code toolUse} blocks; tool results a user turn of
 *       {@code toolResult} blocks ({@code status: error} when the tool failed), each part its own
 *       content block: {@code text}, {@code json}, {@code image}, {@code document}, {@code video}.
 *   <li>Video parts become {@code video} blocks, the format from the media type, the source
 *       {@code bytes} or {@code s3Location}.
 *   <li>Images must be bytes (or {@code data:} URLs, decoded here): Bedrock cannot fetch a URL,
 *       so an {@code http(s)} image URL is an INVALID_REQUEST before anything is sent.
 *   <li>JSON output: by default through a forced tool (see {@link StructuredOutput}); with the
 *       provider option {@code structuredOutput: native}, through {@code outputConfig.textFormat}
 *       for models that support it.
 *   <li>Cache points ({@link ContentPart.CachePoint}, {@link CachePoints}) become
 *       {@code cachePoint {type: default}} blocks where they stand: in a turn's content, at the end
 *       of the system text, after the caller's tools.
 *   <li>Settings Converse lacks ({@code seed}, {@code user}, {@code toolChoice none} when tools
 *       must stay declared) and temperatures above Bedrock's maximum of 1 become warnings.
 * </ul>
 */
final class ConverseRequestWriter {
  private final ObjectMapper mapper;
  private final ErrorContext context;

  ConverseRequestWriter(ObjectMapper mapper, ErrorContext context) {
    this.mapper = mapper;
    this.context = context;
  }

  /** The serialized body, the warnings, and the name of the forced output tool if one was added. */
  record Written(byte[] body, List<String> warnings, Optional<String> outputTool) {}

  Written write(ProviderRequest request) {
    return write(request, "");
  }

  /** As above for model {@code modelId}, whose family decides how reasoning and topK are sent ({@link ModelSettings}). */
  Written write(ProviderRequest request, String modelId) {
    BedrockOptions options = BedrockOptions.parse(request.providerOptions(Bedrock.TYPE), context);
    List<String> warnings = new ArrayList<>();
    ObjectNode root = mapper.createObjectNode();

    ArrayNode messages = root.putArray("messages");
    ArrayNode system = mapper.createArrayNode();
    boolean toolBlocksInHistory = writeMessages(request.messages(), request.cachePoints(), messages, system, warnings);
    if (!system.isEmpty()) root.set("system", system);

    ObjectNode inference = mapper.createObjectNode();
    request.maxTokens().ifPresent(n -> inference.put("maxTokens", n));
    request.temperature().ifPresent(t -> {
      if (t > 1.0) {
        warnings.add("temperature " + t + " lowered to 1.0, the highest Bedrock accepts");
        inference.put("temperature", 1.0);
      } else {
        inference.put("temperature", t);
      }
    });
    request.topP().ifPresent(p -> inference.put("topP", p));
    List<String> stops = request.stop().stream().filter(s -> !s.isEmpty()).toList();
    if (!stops.isEmpty()) {
      ArrayNode arr = inference.putArray("stopSequences");
      stops.forEach(arr::add);
    }
    if (!inference.isEmpty()) root.set("inferenceConfig", inference);
    if (request.seed().isPresent()) warnings.add("seed is not supported by Bedrock Converse and was not sent");
    if (request.user().isPresent()) warnings.add("user is not supported by Bedrock Converse and was not sent");
    if (request.parallelToolCalls().equals(Optional.of(Boolean.FALSE)) && !request.tools().isEmpty()) {
      warnings.add("parallelToolCalls false is not supported by Bedrock Converse; the model may still call several tools");
    }
    request.serviceTier().ifPresent(tier -> writeServiceTier(tier, root, warnings));

    Optional<String> outputTool = writeTools(request, options, toolBlocksInHistory, root, warnings);
    ObjectNode fields = mapper.createObjectNode();
    ModelSettings.write(request, modelId, fields, warnings);
    if (options.additionalModelRequestFields().isPresent()) {
      ObjectNode given = mapper.valueToTree(options.additionalModelRequestFields().get());
      for (java.util.Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (fields.has(key)) {
          throw invalid("providerOptions.bedrock.additionalModelRequestFields." + key
              + " conflicts with a typed setting of the request (reasoning or topK) that is sent there");
        }
      }
      fields.setAll(given);
    }
    if (!fields.isEmpty()) root.set("additionalModelRequestFields", fields);
    try {
      return new Written(mapper.writeValueAsBytes(root), warnings, outputTool);
    } catch (JsonProcessingException e) {
      throw invalid("request could not be serialized: " + e.getOriginalMessage());
    }
  }

  private Optional<String> writeTools(ProviderRequest request, BedrockOptions options, boolean toolBlocksInHistory,
      ObjectNode root, List<String> warnings) {
    ResponseFormat format = request.responseFormat();
    boolean jsonOutput = !(format instanceof ResponseFormat.Text);
    if (jsonOutput && options.nativeStructuredOutput()) {
      if (!(format instanceof ResponseFormat.JsonSchema schema)) {
        throw invalid("providerOptions.bedrock.structuredOutput=native needs a JSON schema response format");
      }
      ObjectNode jsonSchema = root.putObject("outputConfig").putObject("textFormat").put("type", "json_schema")
          .putObject("structure").putObject("jsonSchema");
      jsonSchema.put("schema", schema.schema());
      jsonSchema.put("name", schema.name());
      if (!schema.description().isEmpty()) jsonSchema.put("description", schema.description());
      jsonOutput = false;
    }
    Optional<ToolChoice> choice = request.toolChoice();
    boolean none = choice.isPresent() && choice.get().mode() == ToolChoice.Mode.NONE;
    List<ToolDefinition> tools = request.tools();
    if (none) {
      if (tools.isEmpty() || !toolBlocksInHistory) {
        tools = List.of();
      } else {
        warnings.add("toolChoice none is not supported by Bedrock; the tools stay declared because the conversation uses them");
      }
    }
    Optional<StructuredOutput> output = jsonOutput ? Optional.of(StructuredOutput.of(format, tools)) : Optional.empty();
    if (tools.isEmpty() && output.isEmpty()) {
      if (toolBlocksInHistory) {
        throw invalid("the conversation contains tool calls or tool results, but the request declares no tools;"
            + " Bedrock needs the tools declared to accept them");
      }
      return Optional.empty();
    }
    ObjectNode toolConfig = root.putObject("toolConfig");
    ArrayNode specs = toolConfig.putArray("tools");
    for (ToolDefinition tool : tools) {
      addToolSpec(specs, tool.name(), tool.description(), tool.parametersSchema(), tool.strict());
    }
    // After the caller's tools: the forced output tool, if any, follows the request's format, not its tools.
    if (request.cachePoints().afterTools()) addCachePoint(specs);
    output.ifPresent(o -> addToolSpec(specs, o.toolName(), o.description(), o.schema(), false));
    ObjectNode toolChoice = mapper.createObjectNode();
    if (output.isPresent() && (choice.isEmpty() || choice.get().mode() != ToolChoice.Mode.TOOL)) {
      // Forced JSON output: alone, the output tool is forced; beside the caller's tools, some tool must be called.
      if (tools.isEmpty()) toolChoice.putObject("tool").put("name", output.get().toolName());
      else toolChoice.putObject("any");
    } else if (choice.isPresent()) {
      switch (choice.get().mode()) {
        case AUTO -> toolChoice.putObject("auto");
        case REQUIRED -> toolChoice.putObject("any");
        case TOOL -> toolChoice.putObject("tool").put("name", choice.get().toolName().orElseThrow());
        case NONE -> { }
      }
    }
    if (!toolChoice.isEmpty()) toolConfig.set("toolChoice", toolChoice);
    return output.map(StructuredOutput::toolName);
  }

  /**
   * {@code schema} is written as it is: core checked that it is one JSON object
   * ({@code ToolDefinition}, {@code ResponseFormat}), so parsing it into a tree on every
   * request would only be thrown away.
   */
  private void addToolSpec(ArrayNode specs, String name, String description, String schema, boolean strict) {
    ObjectNode spec = specs.addObject().putObject("toolSpec");
    spec.put("name", name);
    if (!description.isEmpty()) spec.put("description", description);
    spec.putObject("inputSchema").putRawValue("json", new RawValue(schema));
    if (strict) spec.put("strict", true);
  }

  /**
   * Writes the turns; returns whether any tool call or tool result was written. A cache point goes
   * after the content before it: at the end of the current turn's blocks, or, when it comes first
   * in a message, at the end of the turn (or the system text) written before.
   */
  private boolean writeMessages(List<Message> input, CachePoints cachePoints, ArrayNode messages, ArrayNode system,
      List<String> warnings) {
    boolean toolBlocks = false;
    boolean[] detailDropped = {false};
    int foreignReasoning = 0;
    String lastRole = null;
    ArrayNode lastContent = null;
    for (int i = 0; i < input.size(); i++) {
      Message m = input.get(i);
      if (m instanceof SystemMessage s) {
        for (ContentPart.Text t : s.parts()) {
          if (!t.text().isEmpty()) system.addObject().put("text", t.text());
        }
        if (cachePoints.afterMessage(i)) addCachePoint(system);
        continue;
      }
      String role = m instanceof AssistantMessage ? "assistant" : "user";
      ArrayNode blocks = mapper.createArrayNode();
      if (m instanceof UserMessage u) {
        for (ContentPart part : u.content()) {
          if (part instanceof ContentPart.CachePoint) addCachePoint(blocks.isEmpty() ? before(lastContent, system) : blocks);
          else writePart(part, i, blocks, detailDropped);
        }
      } else if (m instanceof AssistantMessage a) {
        // Reasoning first, as the model produced it: Bedrock rejects a reasoning model's tool-use turn without it.
        for (Reasoning r : a.reasoning()) {
          if (r.wire() != Reasoning.Wire.CONVERSE) {
            foreignReasoning++;
            continue;
          }
          ObjectNode rc = blocks.addObject().putObject("reasoningContent");
          if (r.encryptedContent().isPresent()) {
            rc.put("redactedContent", r.encryptedContent().get());
          } else {
            ObjectNode text = rc.putObject("reasoningText");
            text.put("text", r.text());
            r.signature().ifPresent(sig -> text.put("signature", sig));
          }
        }
        for (ContentPart.Text t : a.parts()) {
          if (!t.text().isEmpty()) blocks.addObject().put("text", t.text());
        }
        for (ToolCall call : a.toolCalls()) {
          ObjectNode use = blocks.addObject().putObject("toolUse");
          use.put("toolUseId", ToolUseIds.toBedrock(call.id()));
          use.put("name", call.name());
          use.set("input", toolInput(call, i));
          toolBlocks = true;
        }
      } else if (m instanceof ToolResultMessage r) {
        ObjectNode result = blocks.addObject().putObject("toolResult");
        result.put("toolUseId", ToolUseIds.toBedrock(r.toolCallId()));
        ArrayNode content = result.putArray("content");
        for (ContentPart part : r.content()) writePart(part, i, content, detailDropped);
        // Empty text parts are not sent, but a tool result needs content: an empty result is one "" text block.
        if (content.isEmpty()) content.addObject().put("text", "");
        if (r.isError()) result.put("status", "error");
        toolBlocks = true;
      }
      if (cachePoints.afterMessage(i)) addCachePoint(blocks.isEmpty() ? before(lastContent, system) : blocks);
      if (blocks.isEmpty()) continue; // Bedrock rejects a turn without content blocks
      if (role.equals(lastRole)) {
        lastContent.addAll(blocks);
      } else {
        ObjectNode turn = messages.addObject();
        turn.put("role", role);
        lastContent = turn.putArray("content");
        lastContent.addAll(blocks);
        lastRole = role;
      }
    }
    if (messages.isEmpty()) throw invalid("the request has no user or assistant content to send (only system messages or empty text)");
    if (detailDropped[0]) warnings.add("image detail is not supported by Bedrock Converse and was not sent");
    if (foreignReasoning > 0) {
      warnings.add(foreignReasoning + " reasoning block(s) from another API (Chat Completions or Responses) were not sent:"
          + " Bedrock Converse accepts only its own reasoning back");
    }
    return toolBlocks;
  }

  private void writePart(ContentPart part, int index, ArrayNode blocks, boolean[] detailDropped) {
    if (part instanceof ContentPart.Text t) {
      if (!t.text().isEmpty()) blocks.addObject().put("text", t.text());
    } else if (part instanceof ContentPart.ImageBytes img) {
      detailDropped[0] |= img.detail().isPresent();
      addImage(blocks, img.format(), img.base64());
    } else if (part instanceof ContentPart.DocumentBytes doc) {
      ObjectNode document = blocks.addObject().putObject("document");
      document.put("format", doc.format());
      document.put("name", DocumentNames.forBedrock(doc.name(), blocks.size()));
      document.putObject("source").put("bytes", doc.base64());
    } else if (part instanceof ContentPart.Json json) {
      // Core checked that it is one JSON value, so it is written as it is (tool results only).
      blocks.addObject().putRawValue("json", new RawValue(json.json()));
    } else if (part instanceof ContentPart.VideoBytes video) {
      ObjectNode v = blocks.addObject().putObject("video");
      v.put("format", video.format());
      v.putObject("source").put("bytes", video.base64());
    } else if (part instanceof ContentPart.VideoS3 video) {
      ObjectNode v = blocks.addObject().putObject("video");
      v.put("format", video.format());
      ObjectNode location = v.putObject("source").putObject("s3Location");
      location.put("uri", video.uri());
      video.bucketOwner().ifPresent(owner -> location.put("bucketOwner", owner));
    } else if (part instanceof ContentPart.DocumentFile file) {
      throw invalid("messages[" + index + "] has a document given by provider file id '" + file.fileId()
          + "': Bedrock has no Files API; pass the document bytes with ContentPart.document(bytes, mediaType, name)");
    } else if (part instanceof ContentPart.ImageUrl url) {
      detailDropped[0] |= url.detail().isPresent();
      DataUrls.Image image = DataUrls.parse(url.url()).orElseThrow(() -> invalid("messages[" + index
          + "] has an image given by URL: Bedrock cannot fetch images by URL; pass the image bytes with"
          + " ContentPart.image(bytes, mediaType), or a base64 data: URL of a png, jpeg, gif or webp image"));
      addImage(blocks, image.format(), image.base64());
    }
  }

  /** {@code serviceTier {type}} for the tiers Converse has; OpenAI's {@code auto} and {@code scale} become warnings. */
  private static void writeServiceTier(ServiceTier tier, ObjectNode root, List<String> warnings) {
    switch (tier) {
      case DEFAULT, FLEX, PRIORITY, RESERVED -> root.putObject("serviceTier").put("type", tier.wireName());
      case AUTO -> warnings.add("service tier auto is not supported by Bedrock Converse and was not sent;"
          + " Bedrock's default tier applies");
      case SCALE -> warnings.add("service tier scale is not supported by Bedrock Converse and was not sent");
    }
  }

  /** Where content written before the current message ends: the last turn, else the system text. */
  private static ArrayNode before(ArrayNode lastContent, ArrayNode system) {
    return lastContent != null ? lastContent : system;
  }

  /** A {@code cachePoint} block at the end of {@code blocks}, unless there is nothing before it or one is already there. */
  private static void addCachePoint(ArrayNode blocks) {
    if (blocks.isEmpty() || blocks.get(blocks.size() - 1).has("cachePoint")) return;
    blocks.addObject().putObject("cachePoint").put("type", "default");
  }

  private static void addImage(ArrayNode blocks, String format, String base64) {
    ObjectNode image = blocks.addObject().putObject("image");
    image.put("format", format);
    image.putObject("source").put("bytes", base64);
  }

  private JsonNode toolInput(ToolCall call, int index) {
    if (call.arguments().isBlank()) return mapper.createObjectNode();
    JsonNode node;
    try {
      node = mapper.readTree(call.arguments());
    } catch (JsonProcessingException e) {
      throw invalid("messages[" + index + "] tool call '" + call.name() + "' has arguments that are not valid JSON;"
          + " Bedrock needs them as a JSON object");
    }
    if (node == null || !node.isObject()) {
      throw invalid("messages[" + index + "] tool call '" + call.name() + "' arguments must be a JSON object for Bedrock");
    }
    return node;
  }

  private SwitchboardException invalid(String message) {
    return context.error(ErrorKind.INVALID_REQUEST, message).build();
  }
}
