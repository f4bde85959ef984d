package dev.switchboard.springai;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;

/**
 * A Spring AI {@link Prompt} as a Switchboard {@link ChatRequest}.
 *
 * <p>What has no Switchboard field goes where a provider understands it: frequency and presence
 * penalties into the {@code openai} and {@code azure-openai} namespaces, top-k into Bedrock's
 * {@code additionalModelRequestFields}. Tool definitions come from the
 * {@link ToolCallingManager}, as Spring AI's own models resolve them.
 */
final class Prompts {
  private Prompts() {}

  static ChatRequest toSwitchboard(Prompt prompt, ChatOptions options, String defaultAlias, ToolCallingManager tools) {
    String alias = options.getModel() == null || options.getModel().isBlank() ? defaultAlias : options.getModel();
    ChatRequest.Builder b = ChatRequest.builder(alias);
    for (org.springframework.ai.chat.messages.Message m : prompt.getInstructions()) messages(m, b);
    if (options.getTemperature() != null) b.temperature(options.getTemperature());
    if (options.getTopP() != null) b.topP(options.getTopP());
    if (options.getMaxTokens() != null) b.maxTokens(options.getMaxTokens());
    if (options.getStopSequences() != null && !options.getStopSequences().isEmpty()) b.stop(options.getStopSequences());
    if (options.getFrequencyPenalty() != null) openAiOption(b, "frequency_penalty", options.getFrequencyPenalty());
    if (options.getPresencePenalty() != null) openAiOption(b, "presence_penalty", options.getPresencePenalty());
    if (options.getTopK() != null) b.providerOption("bedrock", "additionalModelRequestFields", Map.of("top_k", options.getTopK()));
    if (options instanceof ToolCallingChatOptions toolOptions) {
      for (org.springframework.ai.tool.definition.ToolDefinition d : tools.resolveToolDefinitions(toolOptions)) {
        b.tool(new ToolDefinition(d.name(), d.description() == null ? "" : d.description(), d.inputSchema()));
      }
    }
    if (options instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null
        && !structured.getOutputSchema().isBlank()) {
      // Not strict: Spring AI's generated schemas do not list every property as required, which strict mode needs.
      b.responseFormat(ResponseFormat.jsonSchema("response", structured.getOutputSchema(), false));
    }
    if (options instanceof SwitchboardChatOptions sb) {
      if (sb.getTimeout() != null) b.timeout(sb.getTimeout());
      if (sb.getSeed() != null) b.seed(sb.getSeed());
    }
    return b.build();
  }

  private static void openAiOption(ChatRequest.Builder b, String key, double value) {
    b.providerOption("openai", key, value);
    b.providerOption("azure-openai", key, value);
  }

  private static void messages(org.springframework.ai.chat.messages.Message m, ChatRequest.Builder b) {
    if (m instanceof SystemMessage s) {
      b.message(Message.system(text(s.getText())));
    } else if (m instanceof UserMessage u) {
      b.message(user(u));
    } else if (m instanceof org.springframework.ai.chat.messages.AssistantMessage a) {
      if (!a.getMedia().isEmpty()) throw new IllegalArgumentException("assistant messages with media are not supported by Switchboard");
      List<ToolCall> calls = new ArrayList<>();
      for (var c : a.getToolCalls()) {
        calls.add(new ToolCall(c.id() == null ? "" : c.id(), c.name(), c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments()));
      }
      b.message(new AssistantMessage(text(a.getText()), calls, Optional.empty()));
    } else if (m instanceof ToolResponseMessage t) {
      // Spring AI keeps every tool result of one turn in one message; Switchboard has one message per result.
      for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
        b.message(new ToolResultMessage(r.id(), r.responseData() == null ? "" : r.responseData(), false));
      }
    } else {
      throw new IllegalArgumentException("message type " + m.getMessageType() + " is not supported by Switchboard");
    }
  }

  private static String text(String text) {
    return text == null ? "" : text;
  }

  private static Message user(UserMessage u) {
    List<ContentPart> parts = new ArrayList<>();
    if (u.getText() != null && !u.getText().isEmpty()) parts.add(ContentPart.text(u.getText()));
    for (Media media : u.getMedia()) parts.add(media(media));
    if (parts.isEmpty()) parts.add(ContentPart.text(""));
    return Message.user(parts.toArray(ContentPart[]::new));
  }

  /** Images by URL or bytes; documents (PDF, CSV, ...) by bytes. Anything else is rejected by name. */
  static ContentPart media(Media media) {
    String type = media.getMimeType().getType() + "/" + media.getMimeType().getSubtype();
    boolean image = "image".equals(media.getMimeType().getType());
    Object data = media.getData();
    if (data instanceof String url) {
      if (image) return ContentPart.imageUrl(url);
      throw new IllegalArgumentException("media " + type + " by URL is not supported by Switchboard: send its bytes");
    }
    byte[] bytes = media.getDataAsByteArray();
    if (image) return ContentPart.image(bytes, "image/jpg".equals(type) ? "image/jpeg" : type);
    if (ContentPart.DOCUMENT_FORMATS.containsKey(type)) {
      String name = media.getName();
      return name == null || name.isBlank() ? new ContentPart.DocumentBytes(bytes, type) : ContentPart.document(bytes, type, name);
    }
    throw new IllegalArgumentException("media type " + type + " is not supported by Switchboard (images: "
        + ContentPart.IMAGE_MEDIA_TYPES + ", documents: " + ContentPart.DOCUMENT_FORMATS.keySet() + ")");
  }
}
