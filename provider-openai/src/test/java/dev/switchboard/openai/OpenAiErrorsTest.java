package dev.switchboard.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.testing.VirtualTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testkit.conformance.RecordingListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Error classification on the OpenAI wire, built from the documented error shapes (the
 * recordings hold only 400/401/404; see the fixtures README's known gaps): every status, the
 * codes that outrank the status, bodies that are not JSON, Retry-After variants, rate-limit
 * headers on errors, errors inside streams, and the first-event timeout of a stream.
 */
class OpenAiErrorsTest {
  private static final String PATH = "/v1/chat/completions";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String KEY = "sk-proj-errorsTEST0123456789abcdefXYZ";
  private static Harness h;
  private static OpenAiProvider provider;

  @BeforeAll
  static void start() {
    h = new Harness(Clock.fixed(NOW, ZoneOffset.UTC));
    provider = h.provider(OpenAi.deployment("errs").apiKey(KEY));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @AfterEach
  void reset() {
    h.validateRequests();
    h.server.resetAll();
  }

  private static ProviderCall call(Duration timeout) {
    return new ProviderCall(ProviderRequest.from(ChatRequest.of("alias", "hi")), new TargetRef("errs", "openai", "gpt-4o"), timeout, 1);
  }

  private void stub(ResponseDefinitionBuilder response) {
    h.server.stubFor(post(urlPathEqualTo(PATH)).willReturn(response));
  }

  private static ResponseDefinitionBuilder error(int status, String type, String code) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withHeader("x-request-id", "req_123")
        .withBody("{\"error\":{\"message\":\"problem " + status + "\",\"type\":" + (type == null ? "null" : "\"" + type + "\"")
            + ",\"param\":null,\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}");
  }

  private SwitchboardException chatFails() throws Exception {
    try {
      provider.chat(call(Duration.ofSeconds(20))).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (SwitchboardException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private RecordingListener stream(Duration timeout) {
    RecordingListener l = new RecordingListener();
    provider.stream(call(timeout), l);
    return l;
  }

  @Test
  void azureStyleInnerPolicyCodeIsContentFilteredWithTheServersReason() throws Exception {
    // The shape of Azure's documented refusal, under a code an OpenAI-compatible server may use.
    stub(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"prompt refused by the content management policy\",\"type\":null,"
            + "\"param\":\"prompt\",\"code\":null,\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}"));
    SwitchboardException e = chatFails();
    assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
    assertThat(e.detail()).contains("refused by the content management policy");
    assertThat(e.kind().retryableByDefault()).isFalse();
    assertThat(e.providerInnerCode()).contains("ResponsibleAIPolicyViolation");
    assertThat(e.providerCode()).isEmpty();
    assertThat(e.providerType()).isEmpty();
    assertThat(e.providerMessage()).contains("prompt refused by the content management policy");
  }

  @ParameterizedTest(name = "HTTP {0} {1}/{2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      "400, invalid_request_error, -, INVALID_REQUEST",
      "400, invalid_request_error, context_length_exceeded, CONTEXT_LENGTH_EXCEEDED",
      "400, invalid_request_error, content_filter, CONTENT_FILTERED",
      "400, invalid_request_error, content_policy_violation, CONTENT_FILTERED",
      "400, -, image_content_policy_violation, CONTENT_FILTERED",
      "401, invalid_request_error, invalid_api_key, AUTHENTICATION",
      "403, -, unsupported_country_region_territory, PERMISSION",
      "404, invalid_request_error, model_not_found, NOT_FOUND",
      "408, -, -, TIMEOUT",
      "409, -, -, SERVER_ERROR",
      "413, invalid_request_error, -, INVALID_REQUEST",
      "422, invalid_request_error, -, INVALID_REQUEST",
      "429, requests, rate_limit_exceeded, RATE_LIMITED",
      "429, insufficient_quota, insufficient_quota, QUOTA_EXCEEDED",
      "500, server_error, -, SERVER_ERROR",
      "502, -, -, UNAVAILABLE",
      "503, server_error, -, UNAVAILABLE",
      "504, -, -, UNAVAILABLE"})
  void statusAndCodeGiveTheKind(int status, String type, String code, ErrorKind kind) throws Exception {
    stub(error(status, type, code));
    SwitchboardException e = chatFails();
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(e.requestId()).contains("req_123");
    assertThat(e.detail()).startsWith("problem " + status);
    // Code and type apart: a missing code stays missing rather than borrowing the type.
    assertThat(e.providerCode()).isEqualTo(java.util.Optional.ofNullable(code));
    assertThat(e.providerType()).isEqualTo(java.util.Optional.ofNullable(type));
    assertThat(e.providerMessage()).contains("problem " + status);
    assertThat(e.providerInnerCode()).isEmpty();
    assertThat(e.provider()).contains("openai");
    assertThat(e.target()).contains("errs");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "502 HTML page|502|text/html|<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>|UNAVAILABLE|HTML page",
      "500 plain text|500|text/plain|upstream connect error or disconnect/reset before headers|SERVER_ERROR|not an OpenAI error",
      "429 JSON without error|429|application/json|{\"detail\":\"slow down\"}|RATE_LIMITED|not an OpenAI error",
      "401 text echoing a key|401|text/plain|bad key sk-proj-errorsTEST0123456789abcdefXYZ|AUTHENTICATION|****"})
  void bodiesThatAreNotOpenAiErrorsStillGetTheKindAndASafeSnippet(String name, int status, String type, String body,
      ErrorKind kind, String snippet) throws Exception {
    stub(aResponse().withStatus(status).withHeader("Content-Type", type).withBody(body));
    SwitchboardException e = chatFails();
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.detail()).contains(snippet).hasSizeLessThan(300);
    assertThat(e.getMessage()).doesNotContain(KEY);
  }

  /** Issue 22 item 13: every server-supplied field is scrubbed, not only the message. */
  @Test
  void aKeyEchoedIntoTypeParamCodeOrRequestIdNeverReachesTheMessage() throws Exception {
    String foreign = "sk-live-0123456789abcdefghijklmnop";
    stub(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
        .withHeader("x-request-id", "req " + KEY)
        .withBody("{\"error\":{\"message\":\"bad key\",\"type\":\"invalid " + KEY + "\",\"param\":\"" + foreign
            + "\",\"code\":\"code-" + KEY + "\"}}"));
    SwitchboardException e = chatFails();
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    for (String text : new String[] {e.getMessage(), e.toString(), e.providerCode().orElse(""), e.requestId().orElse(""),
        e.providerType().orElse(""), e.providerMessage().orElse("")}) {
      assertThat(text).doesNotContain(KEY).doesNotContain(foreign).doesNotContain("errorsTEST");
    }
    assertThat(e.requestId()).contains("req ****");
    assertThat(e.providerType()).contains("invalid ****");
    assertThat(e.providerCode()).contains("code-****");
    assertThat(e.getMessage()).contains("param ****");
  }

  /** Issue 22 item 13: server fields are bounded, so a proxy can't stuff a message with a huge header. */
  @Test
  void serverFieldsAreBoundedInLength() throws Exception {
    String huge = "x".repeat(5_000);
    stub(error(500, huge, huge).withHeader("x-request-id", huge));
    SwitchboardException e = chatFails();
    assertThat(e.requestId().orElseThrow()).hasSizeLessThanOrEqualTo(dev.switchboard.http.HttpErrors.FIELD_CHARS + 1);
    assertThat(e.providerCode().orElseThrow()).hasSizeLessThanOrEqualTo(dev.switchboard.http.HttpErrors.FIELD_CHARS + 1);
    assertThat(e.providerType().orElseThrow()).hasSizeLessThanOrEqualTo(dev.switchboard.http.HttpErrors.FIELD_CHARS + 1);
    assertThat(e.getMessage()).hasSizeLessThan(2_000);

    stub(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"" + huge + "\",\"type\":\"invalid_request_error\",\"code\":null}}"));
    SwitchboardException longMessage = chatFails();
    assertThat(longMessage.providerMessage().orElseThrow()).hasSize(dev.switchboard.http.HttpErrors.MESSAGE_CHARS + 1).endsWith("…");
  }

  @Test
  void emptyBodyGetsTheKindFromTheStatus() throws Exception {
    stub(aResponse().withStatus(503));
    SwitchboardException e = chatFails();
    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(e.detail()).contains("empty body");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "retry-after-ms|1500|PT1.5S",
      "retry-after|7|PT7S",
      "retry-after|Sun, 01 Mar 2026 12:00:30 GMT|PT30S",
      "x-ms-retry-after-ms|250|PT0.25S"})
  void retryAfterVariants(String header, String value, Duration expected) throws Exception {
    stub(error(429, "requests", "rate_limit_exceeded").withHeader(header, value));
    assertThat(chatFails().retryAfter()).contains(expected);
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() throws Exception {
    stub(error(429, "tokens", "rate_limit_exceeded").withHeader("retry-after", "20").withHeader("retry-after-ms", "20500"));
    assertThat(chatFails().retryAfter()).contains(Duration.ofMillis(20_500));
  }

  @Test
  void rateLimitHeadersAreParsedOntoErrors() throws Exception {
    stub(error(429, "tokens", "rate_limit_exceeded")
        .withHeader("x-ratelimit-limit-requests", "10000").withHeader("x-ratelimit-remaining-requests", "0")
        .withHeader("x-ratelimit-reset-requests", "6m0s").withHeader("x-ratelimit-limit-tokens", "2000000")
        .withHeader("x-ratelimit-remaining-tokens", "1999500").withHeader("x-ratelimit-reset-tokens", "12ms"));
    RateLimitInfo r = chatFails().rateLimit().orElseThrow();
    assertThat(r.limitRequests()).hasValue(10_000);
    assertThat(r.remainingRequests()).hasValue(0);
    assertThat(r.resetRequests()).contains(Duration.ofMinutes(6));
    assertThat(r.limitTokens()).hasValue(2_000_000);
    assertThat(r.remainingTokens()).hasValue(1_999_500);
    assertThat(r.resetTokens()).contains(Duration.ofMillis(12));
  }

  @Test
  void streamErrorStatusIsClassifiedWithRetryAfter() {
    stub(error(429, "requests", "rate_limit_exceeded").withHeader("retry-after-ms", "900"));
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> stream(Duration.ofSeconds(20)).await(Duration.ofSeconds(20)));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofMillis(900));
    assertThat(e.requestId()).contains("req_123");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "server_error|data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}|SERVER_ERROR",
      "rate limit|data: {\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}|RATE_LIMITED",
      "numeric code (vLLM)|data: {\"object\":\"error\",\"error\":{\"message\":\"bad\",\"type\":\"BadRequestError\",\"code\":400}}|INVALID_REQUEST",
      "SSE error event|event: error<LF>data: {\"error\":{\"message\":\"overloaded\",\"type\":\"overloaded_error\"}}|UNAVAILABLE",
      "SSE error event with text|event: error<LF>data: upstream went away|SERVER_ERROR"})
  void anErrorInsideTheStreamIsTyped(String name, String errorEvent, ErrorKind kind) {
    stub(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            + errorEvent.replace("<LF>", "\n") + "\n\n"));
    RecordingListener l = stream(Duration.ofSeconds(20));
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> l.await(Duration.ofSeconds(20)));
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.detail()).startsWith("error inside the stream");
    assertThat(l.events).containsExactly(new ChatEvent.TextDelta("Hel"));
  }

  @Test
  void aJsonErrorAnsweringAStreamRequestIsTyped() {
    stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> stream(Duration.ofSeconds(20)).await(Duration.ofSeconds(20)));
    assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED);
  }

  @Test
  void aStreamAnsweredWithSomethingElseIsAProtocolError() {
    stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"choices\":[]}"));
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> stream(Duration.ofSeconds(20)).await(Duration.ofSeconds(20)));
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.detail()).contains("text/event-stream");
  }

  @Test
  void anEmptyStreamIsTruncated() {
    stub(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(": keep-alive\n\n"));
    SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> stream(Duration.ofSeconds(20)).await(Duration.ofSeconds(20)));
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.detail()).contains("truncated stream");
  }

  /** Core owns the first-event limit: through the Switchboard on virtual time, its deadline ends the silent stream. */
  @Test
  void aStreamWithNoEventBeforeItsTimeoutIsATimeout() throws Exception {
    stub(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody("data: [DONE]\n\n")
        .withFixedDelay(10_000));
    VirtualTime time = new VirtualTime();
    try (Switchboard sb = Switchboard.builder().deployment(OpenAi.deployment("errs").apiKey(KEY).baseUrl(h.baseUrl()).build())
        .model(ModelAlias.builder("alias").target("errs", "gpt-4o").build()).time(time, time).build()) {
      List<ChatEvent> events = new CopyOnWriteArrayList<>();
      ChatStream stream = sb.stream(ChatRequest.builder("alias").user("hi").timeout(Duration.ofMillis(300)).build());
      CompletableFuture<SwitchboardException> failed = dev.switchboard.testkit.StreamFailure.of(stream, events::add);
      dev.switchboard.testkit.Eventually.await("request reached the server", Duration.ofSeconds(10),
          () -> !h.server.getAllServeEvents().isEmpty());
      time.advance(Duration.ofMillis(300));
      SwitchboardException e = failed.get(20, TimeUnit.SECONDS);
      assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(e.getMessage()).contains("passed its deadline of 300 ms").doesNotContain("no stream event within");
      assertThat(events).isEmpty();
      stream.close();
    }
    assertThat(h.server.getAllServeEvents()).hasSize(1);
  }

  /** Core owns the deadline and cancels the HTTP call; OkHttp's whole-call timeout is not set. */
  @Test
  void aChatPastItsTimeoutIsATimeout() throws Exception {
    stub(error(200, null, null).withFixedDelay(10_000));
    VirtualTime time = new VirtualTime();
    try (Switchboard sb = Switchboard.builder().deployment(OpenAi.deployment("errs").apiKey(KEY).baseUrl(h.baseUrl()).build())
        .model(ModelAlias.builder("alias").target("errs", "gpt-4o").build()).time(time, time).build()) {
      CompletableFuture<ChatResponse> f = sb.chatAsync(ChatRequest.builder("alias").user("hi").timeout(Duration.ofMillis(300)).build());
      dev.switchboard.testkit.Eventually.await("request reached the server", Duration.ofSeconds(10),
          () -> !h.server.getAllServeEvents().isEmpty());
      time.advance(Duration.ofMillis(300));
      try {
        f.get(20, TimeUnit.SECONDS);
        throw new AssertionError("expected a timeout");
      } catch (ExecutionException e) {
        SwitchboardException se = (SwitchboardException) e.getCause();
        assertThat(se.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(se.getMessage()).contains("passed its deadline of 300 ms");
      }
    }
    assertThat(h.server.getAllServeEvents()).hasSize(1);
  }
}
