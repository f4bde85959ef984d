package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import dev.switchboard.Reasoning;
import dev.switchboard.ReasoningSettings;
import dev.switchboard.ServiceTier;
import dev.switchboard.SystemMessage;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.ToolResultMessage;
import dev.switchboard.UserMessage;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Walks every recorded Converse request in the shared fixtures, works out from the wire alone what
 * the typed {@code ChatRequest} API cannot express, and builds each of the others with the typed
 * API only (no provider option): what {@link ConverseRequestWriter} writes for it must carry the
 * same conversation (roles and content blocks in order), system text, tools, tool choice,
 * inference settings and {@code additionalModelRequestFields} as the recording, with no warning.
 * The counts and the set of features still raw-only are pinned, so a feature lost from the typed
 * API, or one added without this walk learning it, fails here.
 */
class ConverseTypedApiCoverageTest {
  private static final Set<String> TOP = Set.of("messages", "system", "inferenceConfig", "toolConfig",
      "additionalModelRequestFields", "serviceTier");

  private final ConverseRequestWriter writer = new ConverseRequestWriter(ProviderTestKit.objectMapper(), new ErrorContext("bedrock", "d"));

  record Recorded(String name, String modelId, JsonNode body) {}

  private static List<Recorded> recordedRequests() {
    List<Recorded> out = new ArrayList<>();
    for (Path file : Cassette.list(Fixtures.root().resolve("bedrock/pydantic-ai"))) {
      for (Interaction i : Cassette.load(file).interactions()) {
        String path = i.request().path();
        if (!path.endsWith("/converse") && !path.endsWith("/converse-stream")) continue;
        String model = URLDecoder.decode(path.substring(path.indexOf("/model/") + 7, path.lastIndexOf('/')), StandardCharsets.UTF_8);
        i.request().json().ifPresent(body -> out.add(new Recorded(file.getFileName() + " #" + i.index(), model, body)));
      }
    }
    return out;
  }

  @Test
  void everyRecordedConverseRequestIsBuiltWithTheTypedApi() throws Exception {
    List<Recorded> requests = recordedRequests();
    Map<String, Integer> rawOnly = new TreeMap<>();
    int expressible = 0;
    for (Recorded r : requests) {
      List<String> missing = unexpressed(r.body());
      missing.forEach(k -> rawOnly.merge(k, 1, Integer::sum));
      if (!missing.isEmpty()) continue;
      expressible++;
      ChatRequest request = toRequest(r.body());
      assertThat(request.providerOptions(Bedrock.TYPE)).isEmpty();
      ConverseRequestWriter.Written w = writer.write(ProviderRequest.from(request), r.modelId());
      JsonNode sent = ProviderTestKit.objectMapper().readTree(w.body());
      assertThat(ShapeValidator.bedrockRuntime().validate("ConverseRequest", sent)).as(r.name()).isEmpty();
      assertThat(w.warnings()).as("%s: warnings", r.name()).isEmpty();
      assertThat(blocks(sent)).as("%s: conversation", r.name()).isEqualTo(blocks(r.body()));
      assertThat(sent.path("system").findValuesAsText("text")).as(r.name()).isEqualTo(r.body().path("system").findValuesAsText("text"));
      assertThat(sent.at("/toolConfig/tools").findValuesAsText("name")).as(r.name())
          .isEqualTo(r.body().at("/toolConfig/tools").findValuesAsText("name"));
      assertThat(kinds(sent.path("system"))).as("%s: system blocks", r.name()).isEqualTo(kinds(r.body().path("system")));
      assertThat(kinds(sent.at("/toolConfig/tools"))).as("%s: tool entries", r.name()).isEqualTo(kinds(r.body().at("/toolConfig/tools")));
      assertThat(sent.at("/toolConfig/toolChoice")).as(r.name()).isEqualTo(r.body().at("/toolConfig/toolChoice"));
      assertThat(sent.path("messages").findValues("reasoningContent")).as("%s: reasoning blocks", r.name())
          .isEqualTo(r.body().path("messages").findValues("reasoningContent"));
      assertThat(sent.path("serviceTier")).as("%s: serviceTier", r.name()).isEqualTo(r.body().path("serviceTier"));
      for (String f : List.of("maxTokens", "temperature", "topP")) {
        JsonNode a = sent.path("inferenceConfig").path(f);
        JsonNode b = r.body().path("inferenceConfig").path(f);
        assertThat(a.isMissingNode() ? null : a.asDouble()).as("%s: %s", r.name(), f).isEqualTo(b.isMissingNode() ? null : b.asDouble());
      }
      assertThat(sent.path("additionalModelRequestFields")).as("%s: additionalModelRequestFields", r.name())
          .isEqualTo(r.body().path("additionalModelRequestFields"));
    }
    System.out.printf("typed API coverage of %d recorded Converse requests: %d built with the typed API alone%n",
        requests.size(), expressible);
    System.out.println("  still raw-only, by feature: " + rawOnly);
    assertThat(requests).as("recorded Converse requests").hasSize(TOTAL);
    assertThat(expressible).as("built with the typed API alone; update the pin and README when a feature is typed").isEqualTo(EXPRESSIBLE);
    assertThat(rawOnly.keySet()).containsExactlyInAnyOrderElementsOf(RAW_ONLY);
  }

  private static final int TOTAL = 88;
  private static final int EXPRESSIBLE = 82;
  /**
   * Still raw-only. Left on purpose (README, "From raw provider JSON to the typed API"): Bedrock's own
   * guardrail and latency configuration, built-in system tools (and the {@code type} of their
   * tool results), and native structured output, which is a deployment's choice
   * ({@code structuredOutput}) rather than the request's.
   */
  private static final Set<String> RAW_ONLY = Set.of("guardrailConfig", "outputConfig",
      "performanceConfig", "tool systemTool", "toolResult type");

  /** What a recorded Converse body holds that the typed API has no way to say, by feature. */
  static List<String> unexpressed(JsonNode body) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!TOP.contains(k)) out.add(k);
    }
    for (JsonNode s : body.path("system")) {
      if (!s.has("text") && !s.has("cachePoint")) out.add("system " + s.fieldNames().next());
    }
    for (JsonNode m : body.path("messages")) {
      for (JsonNode block : m.path("content")) {
        String kind = block.fieldNames().next();
        switch (kind) {
          case "text" -> { }
          case "image", "document", "video" -> media(block, "", out);
          case "toolUse", "cachePoint" -> { }
          case "reasoningContent" -> {
            // reasoningText (text, signature) or redactedContent: Reasoning blocks of wire CONVERSE.
            JsonNode rc = block.get("reasoningContent");
            if (!rc.has("reasoningText") && !rc.has("redactedContent")) out.add("reasoningContent " + rc.fieldNames().next());
          }
          case "toolResult" -> {
            JsonNode r = block.path("toolResult");
            // type names a built-in system tool's result (nova_code_interpreter_result): no typed field.
            if (r.has("type")) out.add("toolResult type");
            for (JsonNode c : r.path("content")) {
              String part = c.fieldNames().next();
              switch (part) {
                case "text", "json" -> { }
                case "image", "document", "video" -> media(c, "toolResult ", out);
                default -> out.add("toolResult content " + part);
              }
            }
          }
          default -> out.add(m.path("role").asText() + " " + kind);
        }
      }
    }
    JsonNode tier = body.path("serviceTier");
    if (!tier.isMissingNode() && serviceTier(tier.path("type").asText()).isEmpty()) out.add("serviceTier " + tier);
    for (JsonNode t : body.at("/toolConfig/tools")) {
      if (!t.has("toolSpec") && !t.has("cachePoint")) out.add("tool " + t.fieldNames().next());
    }
    JsonNode fields = body.path("additionalModelRequestFields");
    for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!reasoningOrTopK(k, fields.get(k))) out.add("additionalModelRequestFields." + k);
    }
    return out.stream().distinct().toList();
  }

  /** What an image, document or video block needs that the typed parts lack: a source other than bytes (S3 for video), an unknown format. */
  private static void media(JsonNode block, String where, List<String> out) {
    String kind = block.fieldNames().next();
    JsonNode source = block.path(kind).path("source");
    boolean s3Video = kind.equals("video") && source.has("s3Location");
    if (!source.has("bytes") && !s3Video) out.add(where + kind + " source " + source.fieldNames().next());
    String format = block.path(kind).path("format").asText();
    if (kind.equals("document") && mediaType(format).isEmpty()) out.add(where + "document format " + format);
    if (kind.equals("video") && videoType(format).isEmpty()) out.add(where + "video format " + format);
  }

  private static boolean reasoningOrTopK(String key, JsonNode value) {
    return switch (key) {
      case "thinking" -> value.path("type").asText().equals("enabled") && value.has("budget_tokens")
          || value.path("type").asText().equals("adaptive");
      case "output_config" -> value.size() == 1 && value.has("effort");
      case "reasoning_effort", "reasoning_config", "top_k" -> true;
      case "inferenceConfig" -> value.size() == 1 && value.has("topK");
      default -> false;
    };
  }

  /** The typed request a user would write to send {@code body}. */
  static ChatRequest toRequest(JsonNode body) {
    ChatRequest.Builder b = ChatRequest.builder("alias");
    // A cache point after system text: the system text before it as one message, then cachePoint().
    List<ContentPart.Text> system = new ArrayList<>();
    for (JsonNode s : body.path("system")) {
      if (s.has("text")) {
        system.add(ContentPart.text(s.get("text").asText()));
      } else {
        b.message(new SystemMessage(system)).cachePoint();
        system = new ArrayList<>();
      }
    }
    if (!system.isEmpty()) b.message(new SystemMessage(system));
    for (JsonNode m : body.path("messages")) {
      if (m.path("role").asText().equals("assistant")) {
        b.message(assistant(m.path("content")));
        JsonNode content = m.path("content");
        if (content.size() > 0 && content.get(content.size() - 1).has("cachePoint")) b.cachePoint();
      } else {
        user(m.path("content")).forEach(b::message);
      }
    }
    JsonNode inference = body.path("inferenceConfig");
    if (inference.has("maxTokens")) b.maxTokens(inference.get("maxTokens").asInt());
    if (inference.has("temperature")) b.temperature(inference.get("temperature").asDouble());
    if (inference.has("topP")) b.topP(inference.get("topP").asDouble());
    for (JsonNode t : body.at("/toolConfig/tools")) {
      if (t.has("cachePoint")) {
        b.cachePointAfterTools();
        continue;
      }
      JsonNode spec = t.get("toolSpec");
      b.tool(new ToolDefinition(spec.get("name").asText(), spec.path("description").asText(""),
          spec.at("/inputSchema/json").toString(), false));
    }
    JsonNode choice = body.at("/toolConfig/toolChoice");
    if (choice.has("auto")) b.toolChoice(ToolChoice.auto());
    if (choice.has("any")) b.toolChoice(ToolChoice.required());
    if (choice.has("tool")) b.toolChoice(ToolChoice.tool(choice.at("/tool/name").asText()));
    JsonNode fields = body.path("additionalModelRequestFields");
    JsonNode thinking = fields.path("thinking");
    if (thinking.path("type").asText().equals("enabled")) b.reasoning(ReasoningSettings.budget(thinking.get("budget_tokens").asInt()));
    if (thinking.path("type").asText().equals("adaptive")) {
      JsonNode effort = fields.at("/output_config/effort");
      b.reasoning(effort.isTextual() ? ReasoningSettings.effort(effort(effort.asText())) : ReasoningSettings.enabled());
    }
    if (fields.has("reasoning_effort")) b.reasoning(ReasoningSettings.effort(effort(fields.get("reasoning_effort").asText())));
    if (fields.has("reasoning_config")) b.reasoning(ReasoningSettings.effort(effort(fields.get("reasoning_config").asText())));
    if (fields.has("top_k")) b.topK(fields.get("top_k").asInt());
    if (body.has("serviceTier")) b.serviceTier(serviceTier(body.at("/serviceTier/type").asText()).orElseThrow());
    if (fields.at("/inferenceConfig/topK").isInt()) b.topK(fields.at("/inferenceConfig/topK").asInt());
    return b.build();
  }

  /** The typed tier of a Converse {@code serviceTier.type}; OpenAI's {@code auto} and {@code scale} are not Converse tiers. */
  private static Optional<ServiceTier> serviceTier(String wire) {
    return java.util.Arrays.stream(ServiceTier.values())
        .filter(t -> t != ServiceTier.AUTO && t != ServiceTier.SCALE && t.wireName().equals(wire)).findFirst();
  }

  private static ReasoningSettings.Effort effort(String wire) {
    return ReasoningSettings.Effort.valueOf(wire.toUpperCase(Locale.ROOT));
  }

  private static AssistantMessage assistant(JsonNode content) {
    List<ContentPart.Text> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    List<Reasoning> reasoning = new ArrayList<>();
    for (JsonNode block : content) {
      if (block.has("reasoningContent")) {
        JsonNode rc = block.get("reasoningContent");
        Reasoning.Builder r = Reasoning.builder(Reasoning.Wire.CONVERSE);
        if (rc.has("redactedContent")) {
          r.encryptedContent(rc.get("redactedContent").asText());
        } else {
          r.text(rc.at("/reasoningText/text").asText());
          if (rc.at("/reasoningText/signature").isTextual()) r.signature(rc.at("/reasoningText/signature").asText());
        }
        reasoning.add(r.build());
      }
      if (block.has("text")) parts.add(ContentPart.text(block.get("text").asText()));
      if (block.has("toolUse")) {
        JsonNode u = block.get("toolUse");
        calls.add(new ToolCall(u.get("toolUseId").asText(), u.get("name").asText(), u.get("input").toString()));
      }
    }
    return new AssistantMessage(parts, calls, Optional.empty(), reasoning);
  }

  /** Tool results first (each its own message), then the user's own parts, as Converse puts them in one turn. */
  private static List<Message> user(JsonNode content) {
    List<Message> out = new ArrayList<>();
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode block : content) {
      if (block.has("toolResult")) {
        JsonNode r = block.get("toolResult");
        List<ContentPart> result = new ArrayList<>();
        for (JsonNode c : r.path("content")) result.add(c.has("json") ? ContentPart.json(c.get("json").toString()) : part(c));
        out.add(new ToolResultMessage(r.get("toolUseId").asText(), result, r.path("status").asText().equals("error")));
      } else if (block.has("cachePoint")) {
        parts.add(ContentPart.cachePoint());
      } else {
        parts.add(part(block));
      }
    }
    if (!parts.isEmpty()) out.add(new UserMessage(parts));
    return out;
  }

  /** The typed part of a text, image, document or video block (of a user turn or a tool result). */
  static ContentPart part(JsonNode block) {
    if (block.has("text")) return ContentPart.text(block.get("text").asText());
    if (block.has("image")) {
      JsonNode i = block.get("image");
      return ContentPart.image(Base64.getDecoder().decode(i.at("/source/bytes").asText()), "image/" + i.get("format").asText());
    }
    if (block.has("document")) {
      JsonNode d = block.get("document");
      return ContentPart.document(Base64.getDecoder().decode(d.at("/source/bytes").asText()),
          mediaType(d.get("format").asText()).orElseThrow(), d.get("name").asText());
    }
    JsonNode v = block.get("video");
    String type = videoType(v.get("format").asText()).orElseThrow();
    JsonNode s3 = v.at("/source/s3Location");
    if (!s3.isMissingNode()) {
      ContentPart.VideoS3 video = ContentPart.videoS3(s3.get("uri").asText(), type);
      return s3.has("bucketOwner") ? video.withBucketOwner(s3.get("bucketOwner").asText()) : video;
    }
    return ContentPart.video(Base64.getDecoder().decode(v.at("/source/bytes").asText()), type);
  }

  /**
   * The media type for a recorded video {@code format}: Bedrock's format name ({@code mp4}), or the
   * media type itself, which pydantic-ai's recorded call sent ({@code video/mp4}) and Bedrock answered,
   * though service-2.json's VideoFormat enum does not list it; the typed API sends {@code mp4}.
   */
  static Optional<String> videoType(String format) {
    if (ContentPart.VIDEO_FORMATS.containsKey(format)) return Optional.of(format);
    return ContentPart.VIDEO_FORMATS.entrySet().stream().filter(e -> e.getValue().equals(format)).map(Map.Entry::getKey).findFirst();
  }

  private static Optional<String> mediaType(String format) {
    return ContentPart.DOCUMENT_FORMATS.entrySet().stream().filter(e -> e.getValue().equals(format)).map(Map.Entry::getKey).findFirst();
  }

  /** The kind of each block of an array (text, cachePoint, toolSpec, ...), in order. */
  private static List<String> kinds(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode block : array) out.add(block.fieldNames().next());
    return out;
  }

  /** The conversation as (role, block kind) pairs, consecutive turns of one role merged. */
  private static List<String> blocks(JsonNode body) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : body.path("messages")) {
      for (JsonNode block : m.path("content")) {
        String kind = block.fieldNames().next();
        // A tool result's own blocks count too (text, json, image, document, video, in order), and an error status;
        // status success is Bedrock's default, which the writer leaves out (only Nova and Claude models take the field).
        if (kind.equals("toolResult")) {
          kind += kinds(block.at("/toolResult/content")) + (block.at("/toolResult/status").asText().equals("error") ? " error" : "");
        }
        out.add(m.path("role").asText() + ":" + kind);
      }
    }
    return out;
  }
}
