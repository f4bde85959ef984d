package dev.switchboard.examples.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure OpenAI chat completions (and embeddings) on loopback, shaped like the recorded traffic: the deployment
 * URL {@code /openai/deployments/{deployment}/chat/completions?api-version=...} (and the newer
 * {@code /openai/v1/chat/completions} with the deployment in {@code model}), the {@code api-key}
 * header (or an Entra ID bearer token) checked — 401 otherwise — and the api-version checked —
 * 404 otherwise, as Azure does. Answers carry {@code prompt_filter_results} and per-choice
 * {@code content_filter_results}; streams open with the empty-choices chunk that holds the
 * prompt filter results and end with {@code data: [DONE]}.
 */
public final class SimulatedAzureOpenAi extends SimulatedEndpoint {
  /** Data-plane api-versions Azure OpenAI serves (GA and preview); others get 404. */
  public static final Set<String> API_VERSIONS = Set.of(
      "2023-05-15", "2024-02-01", "2024-06-01", "2024-10-21",
      "2024-02-15-preview", "2024-05-01-preview", "2024-08-01-preview", "2024-09-01-preview",
      "2024-10-01-preview", "2024-12-01-preview", "2025-01-01-preview", "2025-02-01-preview",
      "2025-03-01-preview", "2025-04-01-preview");

  private static final Pattern DEPLOYMENT_PATH = Pattern.compile("/openai/deployments/([^/]+)/(chat/completions|embeddings)");
  private static final Pattern V1_PATH = Pattern.compile("/openai/v1/(chat/completions|embeddings|responses)");

  private final byte[] apiKey;
  private final Set<String> deployments;
  private final String region;
  private volatile byte[] bearerToken;
  private volatile BiFunction<String, String, String> answer =
      (deployment, prompt) -> "Hello from Azure OpenAI: deployment " + deployment + " answered this on the simulated endpoint.";

  private SimulatedAzureOpenAi(String apiKey, String region, Set<String> deployments) {
    super("azure-openai");
    Objects.requireNonNull(apiKey, "apiKey == null");
    if (apiKey.isBlank()) throw new IllegalArgumentException("apiKey is blank");
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    this.region = Objects.requireNonNull(region, "region == null");
    this.deployments = Set.copyOf(deployments);
    if (this.deployments.isEmpty()) throw new IllegalArgumentException("no deployments");
  }

  /** Starts an endpoint that accepts {@code apiKey} and serves {@code deployments}. */
  public static SimulatedAzureOpenAi start(String apiKey, String... deployments) {
    return new SimulatedAzureOpenAi(apiKey, "East US", Set.of(deployments));
  }

  /** Also accepts {@code Authorization: Bearer <token>} (Entra ID). */
  public SimulatedAzureOpenAi acceptBearerToken(String token) {
    this.bearerToken = Objects.requireNonNull(token, "token == null").getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** What the endpoint answers, given the deployment and the prompt text. */
  public SimulatedAzureOpenAi answer(BiFunction<String, String, String> answer) {
    this.answer = Objects.requireNonNull(answer, "answer == null");
    return this;
  }

  @Override
  protected void handle(HttpExchange ex, byte[] body) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    Matcher m = DEPLOYMENT_PATH.matcher(path);
    Matcher v1Match = V1_PATH.matcher(path);
    boolean v1 = v1Match.matches();
    if (!m.matches() && !v1) {
      reject(ex, 404, "404", "Resource not found");
      return;
    }
    if (!ex.getRequestMethod().equals("POST")) {
      reject(ex, 405, "405", "Method not allowed");
      return;
    }
    if (!authorized(ex)) {
      String message = ex.getRequestHeaders().containsKey("api-key") || ex.getRequestHeaders().containsKey("Authorization")
          ? "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an"
              + " active subscription and use a correct regional API endpoint for your resource."
          : "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.";
      reject(ex, 401, "401", message);
      return;
    }
    Optional<String> apiVersion = Wire.queryParameter(query, "api-version");
    if (!v1 && (apiVersion.isEmpty() || !API_VERSIONS.contains(apiVersion.get()))) {
      reject(ex, 404, "404", "Resource not found");
      return;
    }
    Optional<JsonNode> request = Wire.parseObject(body);
    if (request.isEmpty()) {
      rejectInvalid(ex, "We could not parse the JSON body of your request.", null);
      return;
    }
    JsonNode req = request.get();
    String deployment = v1 ? req.path("model").asText("") : Wire.decodeSegment(m.group(1));
    if (!deployments.contains(deployment)) {
      reject(ex, 404, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created the"
          + " deployment within the last 5 minutes, please wait a moment and try again.");
      return;
    }
    boolean embeddings = (v1 ? v1Match.group(1) : m.group(2)).equals("embeddings");
    if (embeddings) {
      embed(ex, req, deployment);
      return;
    }
    if (v1 && v1Match.group(1).equals("responses")) {
      respond(ex, req, deployment);
      return;
    }
    JsonNode messages = req.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      rejectInvalid(ex, "'messages' is a required property", "messages");
      return;
    }
    boolean stream = req.path("stream").asBoolean(false);
    Fault fault = nextFault();
    if (fault instanceof Fault.ServiceUnavailable) {
      Wire.sendJson(ex, 503, AzureBodies.error("ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later."));
      return;
    }
    if (fault instanceof Fault.RateLimited r) {
      ex.getResponseHeaders().set("Retry-After", Long.toString(r.seconds()));
      ex.getResponseHeaders().set("x-ratelimit-remaining-requests", "0");
      Wire.sendJson(ex, 429, AzureBodies.error("429", "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version "
          + apiVersion.orElse("v1") + " have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after "
          + r.seconds() + " seconds."));
      return;
    }
    String prompt = Wire.promptText(messages, null);
    int promptTokens = Wire.countTokens(prompt, messages.size());
    List<String> all = Wire.tokens(answer.apply(deployment, prompt));
    int max = req.has("max_completion_tokens") ? req.get("max_completion_tokens").asInt(-1) : req.path("max_tokens").asInt(-1);
    List<String> tokens = Wire.limit(all, max);
    String finish = tokens.size() < all.size() ? "length" : "stop";
    commonHeaders(ex, deployment);
    simulateLatency();
    if (stream) {
      stream(ex, deployment, tokens, finish, promptTokens, req.path("stream_options").path("include_usage").asBoolean(false),
          fault instanceof Fault.FailStreamBeforeFirstToken);
    } else {
      countAnswered(); // before the last byte, so a client that has the answer sees it counted
      Wire.sendJson(ex, 200, AzureBodies.completion(deployment, String.join("", tokens), finish, promptTokens, tokens.size()));
    }
  }

  /**
   * The Responses API on the v1 surface: {@code input} (a string or a list of message items) and
   * {@code instructions} in; a {@code response} object, or for {@code stream: true} the typed SSE
   * events ending with {@code response.completed}, out. Faults apply as to chat completions; a
   * broken stream stops after {@code response.created}.
   */
  private void respond(HttpExchange ex, JsonNode req, String deployment) throws IOException {
    JsonNode input = req.get("input");
    if (input == null || !(input.isTextual() || input.isArray() && !input.isEmpty())) {
      rejectInvalid(ex, "Missing required parameter: 'input'.", "input");
      return;
    }
    Fault fault = nextFault();
    if (fault instanceof Fault.ServiceUnavailable) {
      Wire.sendJson(ex, 503, AzureBodies.error("ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later."));
      return;
    }
    if (fault instanceof Fault.RateLimited r) {
      ex.getResponseHeaders().set("Retry-After", Long.toString(r.seconds()));
      ex.getResponseHeaders().set("x-ratelimit-remaining-requests", "0");
      Wire.sendJson(ex, 429, AzureBodies.error("429", "Requests to the Responses_Create Operation under Azure OpenAI API version v1"
          + " have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after " + r.seconds() + " seconds."));
      return;
    }
    JsonNode items = input.isTextual() ? Wire.JSON.createArrayNode().add(input.asText()) : input;
    JsonNode instructions = req.hasNonNull("instructions") ? Wire.JSON.createArrayNode().add(req.get("instructions").asText()) : null;
    String prompt = Wire.promptText(items, instructions);
    int inputTokens = Wire.countTokens(prompt, items.size());
    List<String> all = Wire.tokens(answer.apply(deployment, prompt));
    List<String> tokens = Wire.limit(all, req.path("max_output_tokens").asInt(-1));
    boolean incomplete = tokens.size() < all.size();
    commonHeaders(ex, deployment);
    simulateLatency();
    String id = "resp_" + Wire.requestId().replace("-", "");
    if (!req.path("stream").asBoolean(false)) {
      countAnswered();
      Wire.sendJson(ex, 200, AzureBodies.response(id, String.join("", tokens), incomplete, inputTokens, tokens.size()));
      return;
    }
    ex.getResponseHeaders().set("x-accel-buffering", "no");
    try (OutputStream out = Wire.startStream(ex, "text/event-stream; charset=utf-8")) {
      int seq = 0;
      ObjectNode created = AzureBodies.response(id, "", false, 0, 0);
      created.put("status", "in_progress").putArray("output");
      created.putNull("usage");
      typed(out, "response.created", seq++, e -> e.set("response", created));
      if (fault instanceof Fault.FailStreamBeforeFirstToken) {
        return; // the body ends here, without a token and without response.completed: a stream cut short
      }
      String itemId = "msg_" + id.substring(5);
      for (String token : tokens) {
        simulateTokenDelay();
        typed(out, "response.output_text.delta", seq++, e -> e.put("item_id", itemId).put("output_index", 0)
            .put("content_index", 0).put("delta", token));
      }
      typed(out, "response.output_text.done", seq++, e -> e.put("item_id", itemId).put("output_index", 0)
          .put("content_index", 0).put("text", String.join("", tokens)));
      ObjectNode done = AzureBodies.response(id, String.join("", tokens), incomplete, inputTokens, tokens.size());
      countAnswered();
      typed(out, incomplete ? "response.incomplete" : "response.completed", seq, e -> e.set("response", done));
    }
  }

  private static void typed(OutputStream out, String type, int sequence, java.util.function.Consumer<ObjectNode> fill)
      throws IOException {
    ObjectNode e = Wire.object();
    e.put("type", type).put("sequence_number", sequence);
    fill.accept(e);
    out.write(("event: " + type + "\ndata: " + Wire.JSON.writeValueAsString(e) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Embeddings accept {@code input} as a string or a list of strings; faults apply as to chat. */
  private void embed(HttpExchange ex, JsonNode req, String deployment) throws IOException {
    JsonNode input = req.get("input");
    List<String> inputs = new java.util.ArrayList<>();
    if (input != null && input.isTextual()) inputs.add(input.asText());
    if (input != null && input.isArray()) input.forEach(i -> inputs.add(i.asText()));
    if (inputs.isEmpty()) {
      rejectInvalid(ex, "'input' is a required property", "input");
      return;
    }
    Fault fault = nextFault();
    if (fault instanceof Fault.ServiceUnavailable || fault instanceof Fault.RateLimited) {
      if (fault instanceof Fault.RateLimited r) ex.getResponseHeaders().set("Retry-After", Long.toString(r.seconds()));
      Wire.sendJson(ex, fault instanceof Fault.RateLimited ? 429 : 503, AzureBodies.error(
          fault instanceof Fault.RateLimited ? "429" : "ServiceUnavailable", "The simulated endpoint is failing as scripted."));
      return;
    }
    commonHeaders(ex, deployment);
    simulateLatency();
    countAnswered();
    Wire.sendJson(ex, 200, AzureBodies.embeddings(inputs, req.path("dimensions").asInt(AzureBodies.EMBEDDING_DIMENSIONS)));
  }

  private boolean authorized(HttpExchange ex) {
    String key = ex.getRequestHeaders().getFirst("api-key");
    if (key != null) return MessageDigest.isEqual(apiKey, key.getBytes(StandardCharsets.UTF_8));
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    byte[] token = bearerToken;
    return token != null && auth != null && auth.startsWith("Bearer ")
        && MessageDigest.isEqual(token, auth.substring(7).getBytes(StandardCharsets.UTF_8));
  }

  private void commonHeaders(HttpExchange ex, String deployment) {
    var h = ex.getResponseHeaders();
    h.set("apim-request-id", Wire.requestId());
    h.set("x-request-id", Wire.requestId());
    h.set("x-ms-region", region);
    h.set("x-ms-deployment-name", deployment);
    h.set("x-ms-rai-invoked", "true");
    h.set("x-ratelimit-limit-requests", "100");
    h.set("x-ratelimit-remaining-requests", "99");
  }

  private void stream(HttpExchange ex, String deployment, List<String> tokens, String finish, int promptTokens,
      boolean includeUsage, boolean breakBeforeFirstToken) throws IOException {
    ex.getResponseHeaders().set("x-accel-buffering", "no");
    String id = "chatcmpl-" + Wire.requestId().replace("-", "").substring(0, 24);
    long created = System.currentTimeMillis() / 1000;
    try (OutputStream out = Wire.startStream(ex, "text/event-stream; charset=utf-8")) {
      ObjectNode first = Wire.object();
      first.putArray("choices");
      first.put("created", 0).put("id", "").put("model", "").put("object", "");
      first.set("prompt_filter_results", AzureBodies.promptFilterResults());
      event(out, first);
      if (breakBeforeFirstToken) {
        // The body ends here, without a token and without [DONE]: a stream cut short.
        return;
      }
      ObjectNode role = AzureBodies.chunk(id, created);
      ObjectNode roleChoice = (ObjectNode) role.get("choices").get(0);
      roleChoice.putObject("delta").put("content", "").putNull("refusal").put("role", "assistant");
      roleChoice.putObject("content_filter_results");
      event(out, role);
      for (String token : tokens) {
        simulateTokenDelay();
        ObjectNode c = AzureBodies.chunk(id, created);
        ObjectNode choice = (ObjectNode) c.get("choices").get(0);
        choice.set("content_filter_results", AzureBodies.contentFilterResults(false));
        choice.putObject("delta").put("content", token);
        event(out, c);
      }
      ObjectNode done = AzureBodies.chunk(id, created);
      ObjectNode doneChoice = (ObjectNode) done.get("choices").get(0);
      doneChoice.putObject("content_filter_results");
      doneChoice.putObject("delta");
      doneChoice.put("finish_reason", finish);
      event(out, done);
      if (includeUsage) {
        ObjectNode usage = Wire.object();
        usage.putArray("choices");
        usage.put("created", created).put("id", id).put("model", AzureBodies.MODEL_VERSION).put("object", "chat.completion.chunk");
        usage.set("usage", AzureBodies.usage(promptTokens, tokens.size()));
        event(out, usage);
      }
      countAnswered();
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static void event(OutputStream out, JsonNode data) throws IOException {
    out.write(("data: " + Wire.JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void reject(HttpExchange ex, int status, String code, String message) throws IOException {
    countRejected();
    Wire.sendJson(ex, status, AzureBodies.error(code, message));
  }

  private void rejectInvalid(HttpExchange ex, String message, String param) throws IOException {
    countRejected();
    ObjectNode e = Wire.object();
    ObjectNode err = e.putObject("error");
    err.put("message", message).put("type", "invalid_request_error");
    if (param == null) err.putNull("param");
    else err.put("param", param);
    err.putNull("code");
    Wire.sendJson(ex, 400, e);
  }
}
