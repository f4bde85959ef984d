package dev.switchboard.examples.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Amazon Bedrock Converse on loopback: {@code POST /model/{modelId}/converse} (JSON) and
 * {@code /model/{modelId}/converse-stream} ({@code application/vnd.amazon.eventstream} frames
 * encoded with the AWS SDK's {@link Message}, so prelude and message CRCs are real). Every
 * request's SigV4 {@code Authorization} header is verified against static test credentials by
 * {@link SigV4Verifier} — 403 with the AWS error type otherwise — or, when configured, a Bedrock
 * API key is accepted as a bearer token. Errors carry {@code x-amzn-ErrorType} and a
 * {@code {"message": ...}} body like the recorded ones.
 */
public final class SimulatedBedrock extends SimulatedEndpoint {
  /** Test-only credentials the simulator knows; they work nowhere else. */
  public static final String TEST_ACCESS_KEY_ID = "AKIASWITCHBOARDSIM01";
  public static final String TEST_SECRET_ACCESS_KEY = "switchboard/simulated/bedrock/secret/key/00";

  private static final Pattern PATH = Pattern.compile("/model/([^/]+)/(converse|converse-stream)");
  private static final String CORAL = ":http://internal.amazon.com/coral/com.amazon.coral.service/";
  private static final String BEDROCK = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

  private final SigV4Verifier verifier;
  private final Set<String> models;
  private volatile byte[] apiKey;
  private volatile BiFunction<String, String, String> answer =
      (model, prompt) -> "Hello from Amazon Bedrock: model " + model + " answered this on the simulated endpoint.";

  private SimulatedBedrock(SigV4Verifier verifier, Set<String> models) {
    super("bedrock");
    this.verifier = verifier;
    this.models = Set.copyOf(models);
    if (this.models.isEmpty()) throw new IllegalArgumentException("no models");
  }

  /** Starts an endpoint for {@code region} that accepts the {@code TEST_*} credentials and serves {@code models}. */
  public static SimulatedBedrock start(String region, String... models) {
    return start(new SigV4Verifier.Credentials(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, null), region, Clock.systemUTC(), models);
  }

  /** Starts an endpoint that accepts {@code credentials}, checking signature dates against {@code clock}. */
  public static SimulatedBedrock start(SigV4Verifier.Credentials credentials, String region, Clock clock, String... models) {
    return new SimulatedBedrock(new SigV4Verifier(credentials, region, "bedrock", clock), Set.of(models));
  }

  /** Also accepts a Bedrock API key sent as {@code Authorization: Bearer <key>}. */
  public SimulatedBedrock acceptApiKey(String key) {
    this.apiKey = Objects.requireNonNull(key, "key == null").getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** What the endpoint answers, given the model id and the prompt text. */
  public SimulatedBedrock answer(BiFunction<String, String, String> answer) {
    this.answer = Objects.requireNonNull(answer, "answer == null");
    return this;
  }

  @Override
  protected void handle(HttpExchange ex, byte[] body) throws IOException {
    ex.getResponseHeaders().set("x-amzn-RequestId", Wire.requestId());
    String path = ex.getRequestURI().getRawPath();
    Matcher m = PATH.matcher(path);
    if (!m.matches() || !ex.getRequestMethod().equals("POST")) {
      reject(ex, 404, "UnknownOperationException", null);
      return;
    }
    Optional<SigV4Verifier.Rejection> denied = authenticate(ex, body);
    if (denied.isPresent()) {
      reject(ex, 403, denied.get().errorType() + CORAL, denied.get().message());
      return;
    }
    String model = Wire.decodeSegment(m.group(1));
    boolean stream = m.group(2).equals("converse-stream");
    if (!models.contains(model)) {
      reject(ex, 400, "ValidationException" + BEDROCK, "The provided model identifier is invalid.");
      return;
    }
    Optional<JsonNode> request = Wire.parseObject(body);
    JsonNode messages = request.map(r -> r.get("messages")).orElse(null);
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      reject(ex, 400, "ValidationException" + BEDROCK, request.isEmpty() ? "Malformed input request, please reformat your input and try again."
          : "The model returned the following errors: messages: at least one message is required");
      return;
    }
    Fault fault = nextFault();
    if (fault instanceof Fault.ServiceUnavailable) {
      error(ex, 503, "ServiceUnavailableException" + BEDROCK, "Bedrock is unable to process your request.");
      return;
    }
    if (fault instanceof Fault.RateLimited r) {
      ex.getResponseHeaders().set("Retry-After", Long.toString(r.seconds()));
      error(ex, 429, "ThrottlingException" + BEDROCK, "Too many requests, please wait before trying again.");
      return;
    }
    JsonNode req = request.get();
    String prompt = Wire.promptText(messages, req.get("system"));
    int inputTokens = Wire.countTokens(prompt, messages.size());
    List<String> all = Wire.tokens(answer.apply(model, prompt));
    List<String> tokens = Wire.limit(all, req.path("inferenceConfig").path("maxTokens").asInt(-1));
    String stopReason = tokens.size() < all.size() ? "max_tokens" : "end_turn";
    long started = System.nanoTime();
    simulateLatency();
    if (stream) {
      stream(ex, tokens, stopReason, inputTokens, started, fault instanceof Fault.FailStreamBeforeFirstToken);
    } else {
      ObjectNode r = Wire.object();
      r.putObject("metrics").put("latencyMs", (System.nanoTime() - started) / 1_000_000);
      ObjectNode message = r.putObject("output").putObject("message");
      message.putArray("content").addObject().put("text", String.join("", tokens));
      message.put("role", "assistant");
      r.put("stopReason", stopReason);
      r.set("usage", usage(inputTokens, tokens.size()));
      countAnswered(); // before the last byte, so a client that has the answer sees it counted
      Wire.sendJson(ex, 200, r);
    }
  }

  private Optional<SigV4Verifier.Rejection> authenticate(HttpExchange ex, byte[] body) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    byte[] key = apiKey;
    if (auth != null && auth.startsWith("Bearer ")) {
      boolean ok = key != null && MessageDigest.isEqual(key, auth.substring(7).getBytes(StandardCharsets.UTF_8));
      return ok ? Optional.empty() : Optional.of(new SigV4Verifier.Rejection("UnrecognizedClientException", "Invalid API Key format: Must start with pre-defined prefix"));
    }
    return verifier.verify(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
        ex.getRequestHeaders(), body);
  }

  private void stream(HttpExchange ex, List<String> tokens, String stopReason, int inputTokens, long started,
      boolean breakBeforeFirstToken) throws IOException {
    try (OutputStream out = Wire.startStream(ex, "application/vnd.amazon.eventstream")) {
      ObjectNode start = Wire.object().put("role", "assistant");
      event(out, "messageStart", start);
      if (breakBeforeFirstToken) {
        // How Bedrock fails a stream that has started: an exception frame, then the end.
        frame(out, "exception", Map.of(":exception-type", "serviceUnavailableException"),
            Wire.object().put("message", "Bedrock is unable to process your request."));
        return;
      }
      for (String token : tokens) {
        simulateTokenDelay();
        ObjectNode delta = Wire.object().put("contentBlockIndex", 0);
        delta.putObject("delta").put("text", token);
        event(out, "contentBlockDelta", delta);
      }
      event(out, "contentBlockStop", Wire.object().put("contentBlockIndex", 0));
      event(out, "messageStop", Wire.object().put("stopReason", stopReason));
      ObjectNode metadata = Wire.object();
      metadata.set("usage", usage(inputTokens, tokens.size()));
      metadata.putObject("metrics").put("latencyMs", (System.nanoTime() - started) / 1_000_000);
      countAnswered();
      event(out, "metadata", metadata);
    }
  }

  private static void event(OutputStream out, String type, ObjectNode payload) throws IOException {
    frame(out, "event", Map.of(":event-type", type), payload);
  }

  private static void frame(OutputStream out, String messageType, Map<String, String> typeHeader, ObjectNode payload)
      throws IOException {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    typeHeader.forEach((k, v) -> headers.put(k, HeaderValue.fromString(v)));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString(messageType));
    new Message(headers, Wire.JSON.writeValueAsBytes(payload)).encode(out);
    out.flush();
  }

  private static ObjectNode usage(int input, int output) {
    return Wire.object().put("inputTokens", input).put("outputTokens", output).put("totalTokens", input + output);
  }

  private void error(HttpExchange ex, int status, String errorType, String message) throws IOException {
    ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    Wire.sendJson(ex, status, Wire.object().put("message", message));
  }

  private void reject(HttpExchange ex, int status, String errorType, String message) throws IOException {
    countRejected();
    ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    Wire.sendJson(ex, status, message == null ? Wire.object() : Wire.object().put("message", message));
  }
}
