package dev.switchboard.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LangChain4j's {@link ChatRequest} as a Switchboard request for one model alias.
 *
 * <p>What has no Switchboard field goes where a provider understands it: frequency and presence
 * penalties into the {@code openai} and {@code azure-openai} namespaces (copied into their
 * bodies), top-k into Bedrock's {@code additionalModelRequestFields}. A LangChain4j model name
 * in the request is ignored: the alias decides the models, which is the point of failover.
 */
final class Requests {
  private Requests() {}

  static dev.switchboard.ChatRequest toSwitchboard(String alias, ChatRequest request) {
    dev.switchboard.ChatRequest.Builder b = dev.switchboard.ChatRequest.builder(alias);
    for (ChatMessage m : request.messages()) b.message(message(m));
    if (request.temperature() != null) b.temperature(request.temperature());
    if (request.topP() != null) b.topP(request.topP());
    if (request.maxOutputTokens() != null) b.maxTokens(request.maxOutputTokens());
    if (request.stopSequences() != null && !request.stopSequences().isEmpty()) b.stop(request.stopSequences());
    if (request.frequencyPenalty() != null) openAiOption(b, "frequency_penalty", request.frequencyPenalty());
    if (request.presencePenalty() != null) openAiOption(b, "presence_penalty", request.presencePenalty());
    if (request.topK() != null) {
      b.providerOption("bedrock", "additionalModelRequestFields", Map.of("top_k", request.topK()));
    }
    List<ToolSpecification> tools = request.toolSpecifications();
    if (tools != null) {
      for (ToolSpecification t : tools) {
        b.tool(new ToolDefinition(t.name(), t.description() == null ? "" : t.description(),
            SchemaJson.writeParameters(t.parameters())));
      }
    }
    if (request.toolChoice() != null && tools != null && !tools.isEmpty()) {
      b.toolChoice(switch (request.toolChoice()) {
        case AUTO -> ToolChoice.auto();
        case REQUIRED -> tools.size() == 1 ? ToolChoice.tool(tools.get(0).name()) : ToolChoice.required();
        case NONE -> ToolChoice.none();
      });
    }
    b.responseFormat(responseFormat(request.responseFormat()));
    return b.build();
  }

  private static void openAiOption(dev.switchboard.ChatRequest.Builder b, String key, double value) {
    b.providerOption("openai", key, value);
    b.providerOption("azure-openai", key, value);
  }

  static dev.switchboard.ResponseFormat responseFormat(ResponseFormat format) {
    if (format == null || format.type() == ResponseFormatType.TEXT) return dev.switchboard.ResponseFormat.text();
    if (format.jsonSchema() == null) return dev.switchboard.ResponseFormat.jsonObject();
    String name = format.jsonSchema().name() == null ? "response" : format.jsonSchema().name();
    // strict: LangChain4j's generated schemas list every property as required, which strict mode needs.
    return dev.switchboard.ResponseFormat.jsonSchema(name, SchemaJson.write(format.jsonSchema().rootElement()), true);
  }

  static Message message(ChatMessage m) {
    if (m instanceof SystemMessage s) return Message.system(s.text());
    if (m instanceof UserMessage u) return user(u);
    if (m instanceof AiMessage ai) {
      List<ToolCall> calls = new ArrayList<>();
      for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
        calls.add(new ToolCall(r.id() == null ? "" : r.id(), r.name(), r.arguments() == null ? "{}" : r.arguments()));
      }
      return new AssistantMessage(ai.text() == null ? "" : ai.text(), calls, Optional.empty());
    }
    if (m instanceof ToolExecutionResultMessage t) {
      String text = t.text() == null ? "" : t.text();
      return Boolean.TRUE.equals(t.isError())
          ? dev.switchboard.ToolResultMessage.error(t.id(), text)
          : Message.toolResult(t.id(), text);
    }
    throw new UnsupportedFeatureException("message type " + m.type() + " is not supported by Switchboard");
  }

  private static Message user(UserMessage u) {
    List<ContentPart> parts = new ArrayList<>();
    for (Content c : u.contents()) {
      if (c instanceof TextContent t) {
        parts.add(ContentPart.text(t.text()));
      } else if (c instanceof ImageContent i) {
        parts.add(image(i.image()));
      } else {
        throw new UnsupportedFeatureException("user content " + c.type() + " is not supported by Switchboard");
      }
    }
    return Message.user(parts.toArray(ContentPart[]::new));
  }

  private static ContentPart image(Image image) {
    if (image.url() != null) return ContentPart.imageUrl(image.url().toString());
    if (image.base64Data() != null) {
      return ContentPart.image(Base64.getDecoder().decode(image.base64Data()), image.mimeType());
    }
    throw new UnsupportedFeatureException("an image needs a url or base64 data");
  }
}
