package dev.switchboard.reliability;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.openai.OpenAi;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * The three providers as the fault tests see them: how to configure a deployment against a
 * loopback URL, and the exact bytes each sends for a healthy answer, a stream, an error, a
 * rate limit. Bodies follow the documented shapes (and the recorded fixtures the provider
 * modules replay).
 */
enum Kind {
  OPENAI("OpenAI", "openai", "gpt-4o-mini"),
  AZURE("Azure", "azure-openai", "gpt4o-prod"),
  BEDROCK("Bedrock", "bedrock", "us.amazon.nova-micro-v1:0");

  /** Secrets the fault tests configure; none may ever appear in a message or a log line. */
  static final String OPENAI_KEY = "sk-reliability-OPENAI-6b1d0f3e9a2c4b5d8e7f";
  static final String AZURE_KEY = "0f9e8d7c6b5a49382716azurekey5e4d3c2b";
  static final String AWS_ACCESS_KEY = "AKIARELIABILITY7TEST";
  static final String AWS_SECRET_KEY = "reliabilitySecretKey/0123456789+ABCDEFGHIJklmnop";
  static final List<String> SECRETS = List.of(OPENAI_KEY, AZURE_KEY, AWS_ACCESS_KEY, AWS_SECRET_KEY);

  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  final String label;
  final String type;
  final String model;

  Kind(String label, String type, String model) {
    this.label = label;
    this.type = type;
    this.model = model;
  }

  /** The provider that backs this one up in the matrix: failover always crosses clouds. */
  Kind secondary() {
    return switch (this) {
      case OPENAI -> AZURE;
      case AZURE -> BEDROCK;
      case BEDROCK -> OPENAI;
    };
  }

  String secret() {
    return switch (this) {
      case OPENAI -> OPENAI_KEY;
      case AZURE -> AZURE_KEY;
      case BEDROCK -> AWS_SECRET_KEY;
    };
  }

  Deployment deployment(String name, String baseUrl) {
    return switch (this) {
      case OPENAI -> OpenAi.deployment(name).baseUrl(baseUrl + "/v1").apiKey(Secret.of(OPENAI_KEY)).build();
      case AZURE -> AzureOpenAi.deployment(name).endpoint(baseUrl).apiKey(Secret.of(AZURE_KEY)).build();
      case BEDROCK -> Bedrock.deployment(name).region("us-east-1").endpoint(baseUrl)
          .staticCredentials(Secret.of(AWS_ACCESS_KEY), Secret.of(AWS_SECRET_KEY)).build();
    };
  }

  // ---- healthy answers ----------------------------------------------------------------------------

  String chatContentType() {
    return "application/json";
  }

  byte[] chat(String text) {
    return utf8(switch (this) {
      case OPENAI, AZURE -> "{\"id\":\"chatcmpl-rel\",\"object\":\"chat.completion\",\"created\":1767225600,\"model\":\"" + model
          + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + json(text)
          + ",\"refusal\":null},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}";
      case BEDROCK -> "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":" + json(text)
          + "}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":9,\"outputTokens\":3,\"totalTokens\":12},"
          + "\"metrics\":{\"latencyMs\":42}}";
    });
  }

  String streamContentType() {
    return this == BEDROCK ? EVENT_STREAM : "text/event-stream";
  }

  /** What opens a stream without producing an event (role chunk, Azure's prompt-filter chunk, messageStart). */
  byte[] streamPreamble() {
    return switch (this) {
      case OPENAI -> sse(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
      case AZURE -> concat(sse("{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
          + "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}"),
          sse(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)));
      case BEDROCK -> event("messageStart", "{\"role\":\"assistant\"}");
    };
  }

  /** One piece of a stream that yields exactly one text delta. */
  byte[] streamText(String text) {
    return switch (this) {
      case OPENAI, AZURE -> sse(chunk("{\"content\":" + json(text) + "}", null));
      case BEDROCK -> event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + json(text) + "}}");
    };
  }

  /** What ends a healthy stream: finish reason, usage, and the end marker. */
  byte[] streamEnd() {
    return switch (this) {
      case OPENAI, AZURE -> concat(sse(chunk("{}", "stop")),
          sse("{\"id\":\"chatcmpl-rel\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"" + model
              + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}"),
          utf8("data: [DONE]\n\n"));
      case BEDROCK -> concat(event("contentBlockStop", "{\"contentBlockIndex\":0}"),
          event("messageStop", "{\"stopReason\":\"end_turn\"}"),
          event("metadata", "{\"usage\":{\"inputTokens\":9,\"outputTokens\":3,\"totalTokens\":12},\"metrics\":{\"latencyMs\":42}}"));
    };
  }

  /** A whole healthy stream whose text is {@code parts} joined. */
  byte[] stream(String... parts) {
    List<byte[]> pieces = new ArrayList<>();
    pieces.add(streamPreamble());
    for (String p : parts) pieces.add(streamText(p));
    pieces.add(streamEnd());
    return concat(pieces.toArray(byte[][]::new));
  }

  /** {@link #chat} with one more top-level member, {@code member} being {@code "name":value}. */
  byte[] chatWith(String text, String member) {
    return withMember(chat(text), member);
  }

  /** {@link #streamText} with one more member in the chunk's JSON. */
  byte[] streamTextWith(String text, String member) {
    return switch (this) {
      case OPENAI, AZURE -> {
        String piece = new String(streamText(text), StandardCharsets.UTF_8).strip(); // data: {...}
        String json = piece.substring("data: ".length());
        yield sse(new String(withMember(utf8(json), member), StandardCharsets.UTF_8));
      }
      case BEDROCK -> event("contentBlockDelta", new String(withMember(
          utf8("{\"contentBlockIndex\":0,\"delta\":{\"text\":" + json(text) + "}}"), member), StandardCharsets.UTF_8));
    };
  }

  private static byte[] withMember(byte[] jsonObject, String member) {
    String s = new String(jsonObject, StandardCharsets.UTF_8);
    int end = s.lastIndexOf('}');
    return utf8(s.substring(0, end) + "," + member + s.substring(end));
  }

  // ---- failures -----------------------------------------------------------------------------------

  /** A JSON error body of this provider for {@code status}, echoing the key the way real servers sometimes do. */
  byte[] errorBody(int status, String message) {
    return utf8(switch (this) {
      case OPENAI -> "{\"error\":{\"message\":" + json(message) + ",\"type\":\"" + (status == 429 ? "requests" : "server_error")
          + "\",\"param\":null,\"code\":" + (status == 429 ? "\"rate_limit_exceeded\"" : "null") + "}}";
      case AZURE -> "{\"error\":{\"code\":\"" + (status == 429 ? "429" : "InternalServerError") + "\",\"message\":" + json(message) + "}}";
      case BEDROCK -> "{\"message\":" + json(message) + "}";
    });
  }

  /** Headers naming the error the way this provider does (Bedrock's error type; request ids). */
  String[] errorHeaders(int status) {
    return switch (this) {
      case OPENAI -> new String[] {"x-request-id", "req_rel_" + status};
      case AZURE -> new String[] {"apim-request-id", "6a1b2c3d-rel-" + status, "x-ms-region", "East US"};
      case BEDROCK -> {
        String type = switch (status) {
          case 429 -> "ThrottlingException";
          case 500 -> "InternalServerException";
          case 503 -> "ServiceUnavailableException";
          default -> null; // 502/504 come from a load balancer, without an error type
        };
        yield type == null ? new String[] {"x-amzn-RequestId", "rel-" + status}
            : new String[] {"x-amzn-RequestId", "rel-" + status, "x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"};
      }
    };
  }

  /** An error sent inside a stream after it started: an SSE error object, or a Bedrock exception frame. */
  byte[] streamError(String message) {
    return switch (this) {
      case OPENAI, AZURE -> sse("{\"error\":{\"message\":" + json(message) + ",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
      case BEDROCK -> exception("modelStreamErrorException", "{\"message\":" + json(message) + ",\"originalStatusCode\":500}");
    };
  }

  /** A stream piece whose JSON is cut off (the framing around it intact). */
  byte[] malformedStreamPiece() {
    return switch (this) {
      case OPENAI, AZURE -> utf8("data: {\"id\":\"chatcmpl-rel\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hel\n\n");
      case BEDROCK -> event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"hel");
    };
  }

  /** A stream piece longer than {@code limit}: one SSE line, or one event-stream frame. */
  byte[] oversizedStreamPiece(int limit) {
    String big = "x".repeat(limit + 16);
    return streamText(big);
  }

  // ---- encoding helpers ---------------------------------------------------------------------------

  private String chunk(String delta, String finishReason) {
    return "{\"id\":\"chatcmpl-rel\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"" + model
        + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
  }

  static byte[] sse(String data) {
    return utf8("data: " + data + "\n\n");
  }

  static byte[] event(String type, String json) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":event-type", HeaderValue.fromString(type));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("event"));
    return frame(h, json);
  }

  static byte[] exception(String type, String json) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":exception-type", HeaderValue.fromString(type));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("exception"));
    return frame(h, json);
  }

  private static byte[] frame(Map<String, HeaderValue> headers, String payload) {
    ByteBuffer b = new Message(headers, utf8(payload)).toByteBuffer();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  /** {@code frame} with its last byte (part of the message CRC) flipped. */
  static byte[] corruptCrc(byte[] frame) {
    byte[] copy = frame.clone();
    copy[copy.length - 1] ^= 0x5a;
    return copy;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }
}
