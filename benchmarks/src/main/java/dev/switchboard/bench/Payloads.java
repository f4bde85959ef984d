package dev.switchboard.bench;

import dev.switchboard.ChatRequest;
import dev.switchboard.Message;
import dev.switchboard.ToolCall;
import dev.switchboard.ToolDefinition;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;

/**
 * The canned traffic every benchmark uses: one typical chat request, and for each provider a
 * typical response and a 200-chunk (200-frame) stream. Shapes follow the recorded traffic in the
 * shared fixtures (field order, nulls, Azure's filter results on every chunk, Bedrock's {@code p}
 * padding field); the content is generated here so the module needs no files to run.
 */
public final class Payloads {
  private Payloads() {}

  /** Chunks (OpenAI, Azure) or frames (Bedrock) in one canned stream. */
  public static final int STREAM_EVENTS = 200;

  /**
   * Text deltas in a canned Azure or Bedrock stream (their concatenation is
   * {@link #streamedText(int)}); those streams have four more events around the text.
   */
  public static final int TEXT_DELTAS = 196;

  /** Text deltas in a canned OpenAI stream, which has only three other chunks (role, finish, usage). */
  public static final int OPENAI_TEXT_DELTAS = TEXT_DELTAS + 1;

  /** The text deltas a canned stream of {@code provider} carries. */
  public static int textDeltas(String provider) {
    return provider.equals("openai") ? OPENAI_TEXT_DELTAS : TEXT_DELTAS;
  }

  public static final String OPENAI_MODEL = "gpt-4o-mini-2024-07-18";
  public static final String BEDROCK_MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

  private static final String ANSWER = "The three primary colours of light are red, green and blue. Mixing them in equal "
      + "measure gives white light, which is why screens build every colour from tiny red, green and blue dots. "
      + "Paint works the other way round: pigments absorb light, so its primaries are usually given as cyan, "
      + "magenta and yellow, and mixing all three gives a muddy dark brown rather than white.";

  private static final String[] WORDS = (
      "Sure thing. Here is a short overview of how a model router decides where to send a request. It first "
          + "looks at the alias the caller asked for, then at every deployment that can serve it, and it orders "
          + "them by the strategy configured for that alias: priority, weights, latency, cost or remaining quota. "
          + "Targets whose circuit breaker is open, that are cooling down after a rate limit, or whose context "
          + "window is too small are skipped. The call then goes to the first target that is left; when that "
          + "attempt fails with an error that may fail over, the next target is tried, within the deadline of "
          + "the whole call. Streams may fail over until their first event reaches the caller. After that a "
          + "broken stream ends with an error that carries the partial output, so nothing the caller saw is lost "
          + "or repeated, and the application can decide what to do next. That is all there is to it, really, and "
          + "the same logic applies to every provider the router knows about, whichever cloud hosts it today.")
      .split(" ");

  /** The text a canned stream of {@code deltas} text deltas spells out. */
  public static String streamedText(int deltas) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < deltas; i++) b.append(delta(i));
    return b.toString();
  }

  /** The non-streamed answer's text. */
  public static String answerText() {
    return ANSWER;
  }

  private static String delta(int i) {
    String w = WORDS[i % WORDS.length];
    return i == 0 ? w : " " + w;
  }

  // ---- the request ------------------------------------------------------------------------------

  /**
   * A typical request: a system prompt, a short conversation with one earlier tool call, one tool
   * definition, temperature and a token limit.
   */
  public static ChatRequest request(String alias) {
    return ChatRequest.builder(alias)
        .system("You are a concise assistant for a colour-science museum. Answer in plain English, "
            + "in at most three sentences, and call the lookup tool when you need exhibit details.")
        .user("Which exhibit explains how screens show colour?")
        .message(new dev.switchboard.AssistantMessage("", List.of(new ToolCall("call_7Gx2", "lookup_exhibit",
            "{\"topic\":\"screens\",\"floor\":2}")), java.util.Optional.empty()))
        .message(Message.toolResult("call_7Gx2", "{\"exhibit\":\"Light and Pixels\",\"room\":\"2.14\",\"open\":true}"))
        .user("Great. And what are the primary colours of light, briefly?")
        .tool(new ToolDefinition("lookup_exhibit", "Finds an exhibit by topic.",
            "{\"type\":\"object\",\"properties\":{\"topic\":{\"type\":\"string\"},\"floor\":{\"type\":\"integer\"}},"
                + "\"required\":[\"topic\"]}"))
        .temperature(0.3)
        .maxTokens(512)
        .build();
  }

  // ---- OpenAI -----------------------------------------------------------------------------------

  public static byte[] openAiResponse() {
    return utf8("{\"id\":\"chatcmpl-BJ7kqZ3wXhV2fLr9TnYpQm1sDcE4a\",\"object\":\"chat.completion\",\"created\":1743430000,"
        + "\"model\":\"" + OPENAI_MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + quote(ANSWER) + ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":187,\"completion_tokens\":71,\"total_tokens\":258,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
        + "\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\",\"system_fingerprint\":\"fp_b376dfbbd5\"}");
  }

  /** The JSON of each of the 200 chunks of an OpenAI stream (no SSE framing, no [DONE]). */
  public static List<String> openAiChunks() {
    String head = "{\"id\":\"chatcmpl-BJ7lA2kq8YtV0cRr5MhNw3xUeZp1b\",\"object\":\"chat.completion.chunk\",\"created\":1743430011,"
        + "\"model\":\"" + OPENAI_MODEL + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_b376dfbbd5\",\"choices\":[";
    List<String> chunks = new ArrayList<>(STREAM_EVENTS);
    chunks.add(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
        + "\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Qup1BsQ3\"}");
    for (int i = 0; i < OPENAI_TEXT_DELTAS; i++) {
      chunks.add(head + "{\"index\":0,\"delta\":{\"content\":" + quote(delta(i)) + "},\"logprobs\":null,"
          + "\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"" + "yhjoJbEFxq".substring(0, 3 + i % 7) + "\"}");
    }
    chunks.add(head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null,"
        + "\"obfuscation\":\"kM2\"}");
    chunks.add(head + "],\"usage\":{\"prompt_tokens\":187,\"completion_tokens\":197,\"total_tokens\":384,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":"
        + "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"obfuscation\":\"x9\"}");
    return chunks;
  }

  /** A whole OpenAI SSE body: 200 chunks, then {@code data: [DONE]}. */
  public static byte[] openAiSse() {
    return sse(openAiChunks());
  }

  // ---- Azure OpenAI -----------------------------------------------------------------------------

  private static final String PROMPT_FILTERS = "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":"
      + "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"jailbreak\":{\"filtered\":false,\"detected\":false},"
      + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}}]";

  private static final String COMPLETION_FILTERS = "\"content_filter_results\":{\"hate\":{\"filtered\":false,"
      + "\"severity\":\"safe\"},\"protected_material_code\":{\"filtered\":false,\"detected\":false},"
      + "\"protected_material_text\":{\"filtered\":false,\"detected\":false},\"self_harm\":{\"filtered\":false,"
      + "\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,"
      + "\"severity\":\"safe\"}}";

  public static byte[] azureResponse() {
    return utf8("{\"choices\":[{" + COMPLETION_FILTERS + ",\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null,"
        + "\"message\":{\"annotations\":[],\"content\":" + quote(ANSWER) + ",\"refusal\":null,\"role\":\"assistant\"}}],"
        + "\"created\":1743430000,\"id\":\"chatcmpl-BJ7kqZ3wXhV2fLr9TnYpQm1sDcE4a\",\"model\":\"" + OPENAI_MODEL + "\","
        + "\"object\":\"chat.completion\"," + PROMPT_FILTERS + ",\"system_fingerprint\":\"fp_b705f0c291\","
        + "\"usage\":{\"completion_tokens\":71,\"completion_tokens_details\":{\"accepted_prediction_tokens\":0,"
        + "\"audio_tokens\":0,\"reasoning_tokens\":0,\"rejected_prediction_tokens\":0},\"prompt_tokens\":187,"
        + "\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":0},\"total_tokens\":258}}");
  }

  /**
   * The 200 chunks of an Azure stream: the prompt-filter chunk with {@code choices: []}, the role
   * chunk, 196 text chunks each carrying its content-filter verdicts, the finish chunk and the usage
   * chunk.
   */
  public static List<String> azureChunks() {
    String tail = ",\"created\":1743430011,\"id\":\"chatcmpl-BJ7lA2kq8YtV0cRr5MhNw3xUeZp1b\",\"model\":\"" + OPENAI_MODEL
        + "\",\"obfuscation\":\"D3WbtIx\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_b705f0c291\"";
    List<String> chunks = new ArrayList<>(STREAM_EVENTS);
    chunks.add("{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\"," + PROMPT_FILTERS + "}");
    chunks.add("{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":\"\",\"refusal\":null,\"role\":\"assistant\"},"
        + "\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + ",\"usage\":null}");
    for (int i = 0; i < TEXT_DELTAS; i++) {
      chunks.add("{\"choices\":[{" + COMPLETION_FILTERS + ",\"delta\":{\"content\":" + quote(delta(i)) + "},"
          + "\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + ",\"usage\":null}");
    }
    chunks.add("{\"choices\":[{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"stop\",\"index\":0,"
        + "\"logprobs\":null}]" + tail + ",\"usage\":null}");
    chunks.add("{\"choices\":[]" + tail + ",\"usage\":{\"completion_tokens\":197,\"completion_tokens_details\":"
        + "{\"accepted_prediction_tokens\":0,\"audio_tokens\":0,\"reasoning_tokens\":0,\"rejected_prediction_tokens\":0},"
        + "\"prompt_tokens\":187,\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":0},\"total_tokens\":384}}");
    return chunks;
  }

  public static byte[] azureSse() {
    return sse(azureChunks());
  }

  // ---- Bedrock ----------------------------------------------------------------------------------

  public static byte[] bedrockResponse() {
    return utf8("{\"metrics\":{\"latencyMs\":1864},\"output\":{\"message\":{\"content\":[{\"text\":" + quote(ANSWER)
        + "}],\"role\":\"assistant\"}},\"stopReason\":\"end_turn\",\"usage\":{\"cacheReadInputTokenCount\":0,"
        + "\"cacheReadInputTokens\":0,\"cacheWriteInputTokenCount\":0,\"cacheWriteInputTokens\":0,\"inputTokens\":187,"
        + "\"outputTokens\":71,\"serverToolUsage\":{},\"totalTokens\":258}}");
  }

  /** Text blocks in {@link #bedrockLargeResponse()}. */
  public static final int LARGE_BLOCKS = 64;
  /** Characters of text in each of them. */
  public static final int LARGE_BLOCK_CHARS = 64 * 1024;

  /**
   * A Converse response of about 4 MB: {@link #LARGE_BLOCKS} text blocks of
   * {@link #LARGE_BLOCK_CHARS} characters (the answer repeated), otherwise as {@link #bedrockResponse()}.
   */
  public static byte[] bedrockLargeResponse() {
    String block = quote(largeBlockText());
    StringBuilder b = new StringBuilder("{\"metrics\":{\"latencyMs\":1864},\"output\":{\"message\":{\"content\":[");
    for (int i = 0; i < LARGE_BLOCKS; i++) b.append(i == 0 ? "" : ",").append("{\"text\":").append(block).append('}');
    b.append("],\"role\":\"assistant\"}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":187,"
        + "\"outputTokens\":71,\"totalTokens\":258}}");
    return utf8(b.toString());
  }

  /** The text of one block of {@link #bedrockLargeResponse()}. */
  public static String largeBlockText() {
    return ANSWER.repeat(LARGE_BLOCK_CHARS / ANSWER.length() + 1).substring(0, LARGE_BLOCK_CHARS);
  }

  /** One ConverseStream frame's event type and JSON payload. */
  public record Frame(String eventType, String payload) {}

  /**
   * The 200 frames of a ConverseStream: messageStart, 196 text deltas, contentBlockStop,
   * messageStop and metadata, each payload with Bedrock's {@code p} padding.
   */
  public static List<Frame> bedrockFrames() {
    String pad = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    List<Frame> frames = new ArrayList<>(STREAM_EVENTS);
    frames.add(new Frame("messageStart", "{\"p\":\"" + pad.substring(0, 53) + "\",\"role\":\"assistant\"}"));
    for (int i = 0; i < TEXT_DELTAS; i++) {
      frames.add(new Frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + quote(delta(i))
          + "},\"p\":\"" + pad.substring(0, 10 + (i * 7) % 40) + "\"}"));
    }
    frames.add(new Frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"" + pad.substring(0, 30) + "\"}"));
    frames.add(new Frame("messageStop", "{\"p\":\"" + pad.substring(0, 56) + "\",\"stopReason\":\"end_turn\"}"));
    frames.add(new Frame("metadata", "{\"metrics\":{\"latencyMs\":2112},\"p\":\"" + pad.substring(0, 20) + "\","
        + "\"usage\":{\"inputTokens\":187,\"outputTokens\":197,\"totalTokens\":384}}"));
    return frames;
  }

  /** A whole ConverseStream body: the 200 frames encoded with the AWS SDK's encoder. */
  public static byte[] bedrockEventStream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : bedrockFrames()) {
      Map<String, HeaderValue> h = new LinkedHashMap<>();
      h.put(":event-type", HeaderValue.fromString(f.eventType()));
      h.put(":content-type", HeaderValue.fromString("application/json"));
      h.put(":message-type", HeaderValue.fromString("event"));
      ByteBuffer b = new software.amazon.awssdk.eventstream.Message(h, utf8(f.payload())).toByteBuffer();
      out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }
    return out.toByteArray();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static byte[] sse(List<String> chunks) {
    StringBuilder b = new StringBuilder();
    for (String c : chunks) b.append("data: ").append(c).append("\n\n");
    b.append("data: [DONE]\n\n");
    return utf8(b.toString());
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
