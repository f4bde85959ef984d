package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.StreamHandle;
import dev.switchboard.aws.testing.Frames;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.aws.testing.SigV4Checker;
import dev.switchboard.testkit.Fixtures;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Failures no recording covers, built from the documented shapes in the API model. */
class ErrorScenarioTest extends BedrockTestBase {
  static final String CONVERSE = "/model/.*/converse";
  static final String STREAM = "/model/.*/converse-stream";

  static ResponseDefinitionBuilder error(int status, String type, String message) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
        .withHeader("x-amzn-RequestId", "rid-" + status).withBody("{\"message\":\"" + message + "\"}");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "429, ThrottlingException, RATE_LIMITED",
      "429, ModelNotReadyException, UNAVAILABLE",
      "503, ServiceUnavailableException, UNAVAILABLE",
      "400, ServiceQuotaExceededException, QUOTA_EXCEEDED",
      "408, ModelTimeoutException, TIMEOUT",
      "500, InternalServerException, SERVER_ERROR",
      "424, ModelErrorException, SERVER_ERROR",
      "400, ValidationException, INVALID_REQUEST",
      "403, AccessDeniedException, PERMISSION",
      "403, UnrecognizedClientException, AUTHENTICATION",
      "403, ExpiredTokenException, AUTHENTICATION",
      "404, ResourceNotFoundException, NOT_FOUND"})
  void errorNamesDecideTheKind(int status, String type, ErrorKind kind) {
    wm.stubFor(post(urlPathMatching("/model/.*")).willReturn(error(status, type, "documented " + type)));
    SwitchboardException e = chatError(hello());
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.providerCode()).contains(type);
    assertThat(e.providerMessage()).contains("documented " + type);
    assertThat(e.providerType()).as("Bedrock names an error only by its code").isEmpty();
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(e.requestId()).contains("rid-" + status);
    assertThat(e.provider()).contains("bedrock");
    assertThat(e.target()).contains("bedrock-test");
    RecordingListener l = stream(hello());
    assertThat(l.awaitError().kind()).isEqualTo(kind);
    assertThat(l.events).isEmpty();
  }

  /** Issue 14: the provider's own message and code are kept, with an echoed credential masked. */
  @Test
  void aCredentialEchoedIntoTheMessageOrCodeIsMaskedInTheirAccessors() {
    wm.stubFor(post(urlPathMatching("/model/.*")).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-ErrorType", "UnrecognizedClientException " + SECRET_KEY)
        .withBody("{\"message\":\"The security token " + SECRET_KEY.replace("/", "\\/") + " included in the request is invalid.\"}")));
    SwitchboardException e = chatError(hello());
    assertThat(e.providerMessage()).contains("The security token **** included in the request is invalid.");
    assertThat(e.providerCode()).contains("UnrecognizedClientException ****");
    for (String text : new String[] {e.getMessage(), e.toString(), e.providerMessage().orElse(""), e.providerCode().orElse("")}) {
      assertThat(text).doesNotContain(SECRET_KEY);
    }
  }

  /** An event-stream frame of :message-type error: its code and message are kept, scrubbed like an HTTP error's. */
  @Test
  void anInStreamErrorFrameKeepsItsCodeAndMessageWithoutTheCredential() {
    java.util.Map<String, software.amazon.awssdk.eventstream.HeaderValue> h = new java.util.LinkedHashMap<>();
    h.put(":message-type", software.amazon.awssdk.eventstream.HeaderValue.fromString("error"));
    h.put(":error-code", software.amazon.awssdk.eventstream.HeaderValue.fromString("InternalFailure"));
    h.put(":error-message", software.amazon.awssdk.eventstream.HeaderValue.fromString("signing with " + SECRET_KEY + " failed"));
    byte[] body = Frames.create().event("messageStart", "{\"role\":\"assistant\"}").frame(h, "").bytes();
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(body)));
    SwitchboardException e = stream(hello()).awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(e.providerCode()).contains("InternalFailure");
    assertThat(e.providerMessage()).contains("signing with **** failed");
    assertThat(e.getMessage()).contains("signing with **** failed").doesNotContain(SECRET_KEY);
  }

  @Test
  void errorNameFromTheBodyWhenTheHeaderIsMissing() {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
        .withBody("{\"__type\":\"com.amazon.bedrock#ModelNotReadyException\",\"message\":\"warming up\"}")));
    SwitchboardException e = chatError(hello());
    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(e.providerCode()).contains("ModelNotReadyException");
  }

  @Test
  void throttlingCarriesRetryAfterWhenSent() {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(error(429, "ThrottlingException", "Too many requests, please wait before trying again.")
        .withHeader("Retry-After", "3")));
    SwitchboardException e = chatError(hello());
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void expiredSessionTokenMessageIsAnAuthenticationError() {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
        .withBody("{\"message\":\"The security token included in the request is expired\"}")));
    provider.close();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl())
        .sessionCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY), Secret.of("FwoGZXIvYXdzEXAMPLETOKEN")).build());
    SwitchboardException e = chatError(hello());
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage()).doesNotContain("FwoGZXIvYXdzEXAMPLETOKEN").doesNotContain(SECRET_KEY);
    var sent = requests().get(0);
    assertThat(sent.getHeader("X-Amz-Security-Token")).isEqualTo("FwoGZXIvYXdzEXAMPLETOKEN");
    assertThat(SigV4Checker.verify(toCheckerRequest(sent), SECRET_KEY, true).signedHeaders()).contains("x-amz-security-token");
  }

  @Test
  void onDemandThroughputValidationAdvisesAnInferenceProfile() {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(error(400, "ValidationException",
        "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn't supported."
            + " Retry your request with the ID or ARN of an inference profile that contains this model.")));
    SwitchboardException e = chatError(hello(), "anthropic.claude-3-7-sonnet-20250219-v1:0");
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.detail()).contains("use an inference profile id");
  }

  @Test
  void inStreamThrottlingExceptionFrameEndsTheStreamTyped() {
    byte[] body = Frames.create().event("messageStart", "{\"role\":\"assistant\"}")
        .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Partial\"}}")
        .exception("throttlingException", "{\"message\":\"Too many tokens, please wait before trying again.\"}").bytes();
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withHeader("x-amzn-RequestId", "rid-stream").withBody(body)));
    RecordingListener l = stream(hello());
    SwitchboardException e = l.awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.providerCode()).contains("throttlingException");
    assertThat(e.requestId()).contains("rid-stream");
    assertThat(e.detail()).contains("Too many tokens");
    assertThat(l.events).containsExactly(new ChatEvent.TextDelta("Partial"));
  }

  @ParameterizedTest
  @CsvSource({"serviceUnavailableException, UNAVAILABLE", "validationException, INVALID_REQUEST",
      "internalServerException, SERVER_ERROR", "modelStreamErrorException, SERVER_ERROR"})
  void otherInStreamExceptions(String type, ErrorKind kind) {
    byte[] body = Frames.create().event("messageStart", "{\"role\":\"assistant\"}").exception(type, "{\"message\":\"boom\"}").bytes();
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(body)));
    assertThat(stream(hello()).awaitError().kind()).isEqualTo(kind);
  }

  @Test
  void constructedModelStreamErrorFrame() {
    byte[] frame = Base64.getDecoder().decode(
        Fixtures.text("bedrock/vercel-ai/constructed/model-stream-error-exception.eventstream.base64.txt").trim());
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(frame)));
    SwitchboardException e = stream(hello()).awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(e.providerCode()).contains("modelStreamErrorException");
    assertThat(e.detail()).contains("Model Stream Error").contains("model status 500");
    assertThat(e.providerMessage().orElseThrow()).contains("Model Stream Error").doesNotStartWith("in-stream");
  }

  @Test
  void corruptedFrameMidStreamIsAProtocolError() {
    byte[] good = Frames.create().event("messageStart", "{\"role\":\"assistant\"}")
        .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"ok\"}}").bytes();
    byte[] bad = Frames.create().event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"no\"}}").bytes();
    bad[bad.length - 6] ^= 0x20; // flips a payload byte: the message CRC no longer matches
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(Frames.create().raw(good).raw(bad).bytes())));
    RecordingListener l = stream(hello());
    SwitchboardException e = l.awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.detail()).contains("malformed event-stream frame");
    assertThat(l.events).containsExactly(new ChatEvent.TextDelta("ok"));
  }

  @Test
  void frameLargerThanTheLimitIsAProtocolError() {
    provider.close();
    settings = settings.withMaxStreamLineBytes(1024);
    http = dev.switchboard.http.HttpClients.create(settings);
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl())
        .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build());
    String big = "x".repeat(2000);
    byte[] body = Frames.create().event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + big + "\"}}").bytes();
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(body)));
    SwitchboardException e = stream(hello()).awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.detail()).contains("exceeds the limit of 1024 bytes");
  }

  @Test
  void streamWithoutMessageStopIsTruncated() {
    byte[] body = Frames.create().event("messageStart", "{\"role\":\"assistant\"}")
        .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"cut\"}}").bytes();
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(body)));
    SwitchboardException e = stream(hello()).awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.detail()).contains("truncated stream");
    byte[] cutFrame = java.util.Arrays.copyOf(Frames.create().helloWorld().bytes(), 150);
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(cutFrame)));
    assertThat(stream(hello()).awaitError().detail()).contains("truncated stream");
  }

  @Test
  void a200WithJsonInsteadOfAnEventStreamIsTyped() {
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"Output\":{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"},\"Version\":\"1.0\"}")));
    SwitchboardException e = stream(hello()).awaitError();
    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
        .withBody("<html>proxy</html>")));
    assertThat(stream(hello()).awaitError().kind()).isEqualTo(ErrorKind.PROTOCOL);
  }

  /**
   * The provider arms no first-event timer: core owns that limit (see
   * CancellationTest.aStreamWhoseFirstEventNeverComesEndsOnCoresDeadline) and cancels the handle,
   * which cancels the call without another word to the listener.
   */
  @Test
  void noFirstEventArmsNoProviderTimerAndCoresCancelEndsTheCall() throws Exception {
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(Frames.create().helloWorld().bytes()).withFixedDelay(20_000)));
    RecordingListener l = new RecordingListener();
    StreamHandle handle = provider.stream(call(hello(), MODEL), l);
    dev.switchboard.testkit.Eventually.await("request reached the server", Duration.ofSeconds(10), () -> !wm.getAllServeEvents().isEmpty());
    assertThat(scheduler.pending()).as("provider timers").isZero();
    handle.cancel(); // what core does when its first-event limit or deadline passes
    dev.switchboard.testkit.Eventually.await("call cancelled", Duration.ofSeconds(10), () -> http.dispatcher().runningCallsCount() == 0);
    assertThat(l.endings.get()).isZero();
    assertThat(l.events).isEmpty();
    assertThat(wm.getAllServeEvents()).hasSize(1);
  }

  @Test
  void theFirstEventDisarmsTheDeadline() {
    wm.stubFor(post(urlPathMatching(STREAM)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", BedrockProvider.EVENT_STREAM).withBody(Frames.create().helloWorld().bytes())));
    RecordingListener l = stream(hello());
    l.awaitComplete();
    assertThat(scheduler.pending()).isZero();
    scheduler.fireAll();
    assertThat(l.endings.get()).isEqualTo(1);
  }

  @Test
  void cancellingAChatFutureCancelsTheCall() throws Exception {
    wm.stubFor(post(urlPathMatching(CONVERSE)).willReturn(aResponse().withStatus(200).withFixedDelay(20_000).withBody("{}")));
    var f = provider.chat(call(hello(), MODEL));
    dev.switchboard.testkit.Eventually.await("request reached the server", Duration.ofSeconds(10), () -> !wm.getAllServeEvents().isEmpty());
    f.cancel(true);
    dev.switchboard.testkit.Eventually.await("call cancelled", Duration.ofSeconds(10), () -> http.dispatcher().runningCallsCount() == 0);
    assertThat(f.isCancelled()).isTrue();
  }
}
