package dev.switchboard.openai.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.testing.ProviderTestKit;
import java.util.List;

/**
 * Responses API bodies for staging a server in tests, in the shapes the recorded cassettes show
 * ({@code ../shared/fixtures/openai-responses}): response objects, output items and typed SSE
 * events. Shared by every provider that speaks the Responses API (OpenAI, Azure OpenAI v1).
 */
public final class ResponsesBodies {
  private ResponsesBodies() {}

  /** {@code s} as a JSON string literal. */
  public static String q(String s) {
    try {
      return ProviderTestKit.objectMapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String usage(int in, int out) {
    return "{\"input_tokens\":" + in + ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + out
        + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (in + out) + "}";
  }

  /** A response object; {@code output} is the items' JSON joined by commas, {@code usage} JSON or {@code null}. */
  public static String response(String status, String output, String usage) {
    return "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"" + status + "\",\"error\":null,\"incomplete_details\":null,"
        + "\"model\":\"m\",\"output\":[" + output + "],\"usage\":" + usage + "}";
  }

  public static String message(String text) {
    return "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":"
        + "\"output_text\",\"text\":" + q(text) + ",\"annotations\":[]}]}";
  }

  public static String functionCall(String callId, String name, String arguments) {
    return "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":" + q(callId) + ",\"name\":" + q(name) + ",\"arguments\":"
        + q(arguments) + ",\"status\":\"completed\"}";
  }

  /** One SSE event with its {@code event:} line; {@code fields} are the JSON members after {@code type}. */
  public static String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}\n\n";
  }

  public static String textDelta(String delta) {
    return event("response.output_text.delta", "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":" + q(delta));
  }

  /** A whole text stream: created, the message item, the deltas, completed with usage. */
  public static String textStream(List<String> deltas, int in, int out) {
    StringBuilder sb = new StringBuilder(event("response.created", "\"response\":" + response("in_progress", "", "null")));
    sb.append(event("response.output_item.added", "\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_1\","
        + "\"role\":\"assistant\",\"content\":[]}"));
    for (String d : deltas) sb.append(textDelta(d));
    sb.append(event("response.completed", "\"response\":" + response("completed", message(String.join("", deltas)), usage(in, out))));
    return sb.toString();
  }

  /** A stream of one function call: added, argument deltas, done, completed. */
  public static String toolStream(String callId, String name, List<String> fragments) {
    String args = String.join("", fragments);
    StringBuilder sb = new StringBuilder(event("response.created", "\"response\":" + response("in_progress", "", "null")));
    sb.append(event("response.output_item.added", "\"output_index\":0,\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\","
        + "\"call_id\":" + q(callId) + ",\"name\":" + q(name) + ",\"arguments\":\"\",\"status\":\"in_progress\"}"));
    for (String f : fragments) {
      sb.append(event("response.function_call_arguments.delta", "\"item_id\":\"fc_1\",\"output_index\":0,\"delta\":" + q(f)));
    }
    sb.append(event("response.function_call_arguments.done", "\"item_id\":\"fc_1\",\"output_index\":0,\"arguments\":" + q(args)));
    sb.append(event("response.completed", "\"response\":" + response("completed", functionCall(callId, name, args), usage(20, 10))));
    return sb.toString();
  }

  /** Text deltas and no terminal event: a cut stream. */
  public static String truncatedStream(List<String> deltas) {
    StringBuilder sb = new StringBuilder(event("response.created", "\"response\":" + response("in_progress", "", "null")));
    for (String d : deltas) sb.append(textDelta(d));
    return sb.toString();
  }

  /** A stream that ends at once, with nothing said. */
  public static String emptyStream() {
    return event("response.completed", "\"response\":" + response("completed", "", "null"));
  }
}
