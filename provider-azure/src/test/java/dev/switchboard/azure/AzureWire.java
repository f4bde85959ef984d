package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.testing.ProviderTestKit;
import java.util.List;

/** Azure-shaped wire bodies for staging tests, modelled on the recorded Azure traffic in the fixtures. */
final class AzureWire {
  static final String SAFE_FILTERS = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
  static final String PROMPT_FILTERS = "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,"
      + "\"severity\":\"safe\"},\"jailbreak\":{\"filtered\":false,\"detected\":false},\"self_harm\":{\"filtered\":false,"
      + "\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,"
      + "\"severity\":\"safe\"}}}]";
  /** The chunk Azure opens every stream with: no choices, only the prompt's filter verdicts. */
  static final String PROMPT_CHUNK = "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
      + "\"prompt_filter_results\":" + PROMPT_FILTERS + "}\n\n";

  private AzureWire() {}

  static String q(String s) {
    try {
      return ProviderTestKit.objectMapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("apim-request-id", "apim-1").withHeader("x-ms-region", "East US")
        .withHeader("x-ms-deployment-name", "gpt-4o-prod").withBody(body);
  }

  static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8")
        .withHeader("apim-request-id", "apim-s").withHeader("x-ms-region", "Sweden Central").withBody(body);
  }

  /** A non-streamed completion with Azure's filter fields. */
  static String completion(String contentJson, String finishReason, String choiceFilters, int in, int out) {
    return "{\"choices\":[{\"content_filter_results\":" + choiceFilters + ",\"finish_reason\":\"" + finishReason
        + "\",\"index\":0,\"logprobs\":null,\"message\":{\"content\":" + contentJson + ",\"refusal\":null,"
        + "\"role\":\"assistant\"}}],\"created\":1741880483,\"id\":\"chatcmpl-az\",\"model\":\"gpt-4o-2024-11-20\","
        + "\"object\":\"chat.completion\",\"prompt_filter_results\":" + PROMPT_FILTERS + ",\"system_fingerprint\":\"fp_1\","
        + "\"usage\":{\"completion_tokens\":" + out + ",\"prompt_tokens\":" + in + ",\"total_tokens\":" + (in + out) + "}}";
  }

  static String text(String text, int in, int out) {
    return completion(q(text), "stop", SAFE_FILTERS, in, out);
  }

  /** One stream chunk for choice 0 with the given delta JSON and finish reason. */
  static String chunk(String delta, String finishReason, String filters) {
    return "data: {\"choices\":[{\"content_filter_results\":" + filters + ",\"delta\":" + delta + ",\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + ",\"index\":0,\"logprobs\":null}],"
        + "\"created\":1769749144,\"id\":\"chatcmpl-st\",\"model\":\"gpt-5-mini-2025-08-07\",\"object\":\"chat.completion.chunk\","
        + "\"system_fingerprint\":null,\"usage\":null}\n\n";
  }

  static String usageChunk(int in, int out) {
    return "data: {\"choices\":[],\"created\":1769749144,\"id\":\"chatcmpl-st\",\"model\":\"gpt-5-mini-2025-08-07\","
        + "\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":" + out + ",\"prompt_tokens\":" + in
        + ",\"total_tokens\":" + (in + out) + "}}\n\n";
  }

  /** A whole Azure text stream: prompt-filter chunk, role chunk, deltas, finish, usage, [DONE]. */
  static String textStream(List<String> deltas, String finishReason, int in, int out) {
    StringBuilder sb = new StringBuilder(PROMPT_CHUNK);
    sb.append(chunk("{\"content\":\"\",\"refusal\":null,\"role\":\"assistant\"}", null, "{}"));
    for (String d : deltas) sb.append(chunk("{\"content\":" + q(d) + "}", null, SAFE_FILTERS));
    sb.append(chunk("{}", finishReason, "{}"));
    sb.append(usageChunk(in, out));
    sb.append("data: [DONE]\n\n");
    return sb.toString();
  }

  /** Azure's error body, e.g. {@code {"error":{"code":"429","message":"..."}}}. */
  static String error(String code, String message) {
    return "{\"error\":{\"code\":" + q(code) + ",\"message\":" + q(message) + "}}";
  }
}
