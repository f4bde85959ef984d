package dev.switchboard.examples.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The Bedrock simulator against requests signed by the AWS SDK's own SigV4 signer. */
class SimulatedBedrockTest {
  private static final String MODEL = "openai.gpt-oss-120b-1:0";
  private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"What is 2 + 2?\"}]}],"
      + "\"system\":[{\"text\":\"Be brief.\"}]}";

  private final SimulatedBedrock bedrock = SimulatedBedrock.start("us-west-2", MODEL);
  private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  @AfterEach
  void close() {
    bedrock.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Response send(String operation, String body, String accessKey, String secret, String region) throws IOException {
    return client.newCall(signed(operation, body, accessKey, secret, region).build()).execute();
  }

  private Response send(String operation, String body) throws IOException {
    return send(operation, body, SimulatedBedrock.TEST_ACCESS_KEY_ID, SimulatedBedrock.TEST_SECRET_ACCESS_KEY, "us-west-2");
  }

  private Request.Builder signed(String operation, String body, String accessKey, String secret, String region) {
    return signed(bedrock, operation, body, accessKey, secret, region);
  }

  private static Request.Builder signed(SimulatedEndpoint target, String operation, String body, String accessKey, String secret,
      String region) {
    String path = "/model/" + SigV4Verifier.encode(MODEL) + "/" + operation;
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(URI.create(target.url() + path)).putHeader("Content-Type", "application/json").build();
    SdkHttpRequest request = AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
        .payload(ContentStreamProvider.fromByteArray(bytes))
        .identity(AwsCredentialsIdentity.create(accessKey, secret))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
    Request.Builder b = new Request.Builder().url(target.url() + path)
        .post(RequestBody.create(bytes, MediaType.get("application/json")));
    request.forEachHeader((name, values) -> values.forEach(v -> b.addHeader(name, v)));
    return b;
  }

  @Test
  void answersAConverseCallSignedByTheSdk() throws IOException {
    try (Response r = send("converse", BODY)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("x-amzn-RequestId")).isNotBlank();
      JsonNode body = Wire.JSON.readTree(r.body().string());
      assertThat(body.path("output").path("message").path("role").asText()).isEqualTo("assistant");
      assertThat(body.path("output").path("message").path("content").get(0).path("text").asText()).contains(MODEL);
      assertThat(body.path("stopReason").asText()).isEqualTo("end_turn");
      JsonNode usage = body.path("usage");
      assertThat(usage.path("totalTokens").asInt()).isEqualTo(usage.path("inputTokens").asInt() + usage.path("outputTokens").asInt());
      assertThat(body.path("metrics").has("latencyMs")).isTrue();
    }
    assertThat(bedrock.stats()).isEqualTo(new SimulatedEndpoint.Stats(1, 1, 0, 0));
  }

  @Test
  void streamsEventStreamFramesWithValidChecksums() throws IOException {
    List<Message> frames;
    try (Response r = send("converse-stream", BODY)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("application/vnd.amazon.eventstream");
      MessageDecoder decoder = new MessageDecoder();
      decoder.feed(r.body().bytes()); // the SDK decoder checks both CRCs of every frame
      frames = decoder.getDecodedMessages();
    }
    assertThat(frames).extracting(m -> m.getHeaders().get(":event-type").getString())
        .startsWith("messageStart", "contentBlockDelta").endsWith("contentBlockStop", "messageStop", "metadata");
    assertThat(frames).allSatisfy(m -> {
      assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("event");
      assertThat(m.getHeaders().get(":content-type").getString()).isEqualTo("application/json");
    });
    StringBuilder text = new StringBuilder();
    JsonNode metadata = null;
    for (Message m : frames) {
      JsonNode payload = Wire.JSON.readTree(m.getPayload());
      if (m.getHeaders().get(":event-type").getString().equals("contentBlockDelta")) text.append(payload.path("delta").path("text").asText());
      if (m.getHeaders().get(":event-type").getString().equals("metadata")) metadata = payload;
    }
    assertThat(text.toString()).startsWith("Hello from Amazon Bedrock");
    assertThat(metadata.path("usage").path("outputTokens").asInt()).isEqualTo(Wire.tokens(text.toString()).size());
  }

  @Test
  void rejectsAWrongSecretWithInvalidSignature() throws IOException {
    try (Response r = send("converse", BODY, SimulatedBedrock.TEST_ACCESS_KEY_ID, "not-the-secret", "us-west-2")) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.header("x-amzn-ErrorType")).startsWith("InvalidSignatureException:");
      assertThat(r.body().string()).contains("does not match the signature you provided");
    }
  }

  @Test
  void rejectsAnUnknownAccessKeyAndAWrongRegion() throws IOException {
    try (Response r = send("converse", BODY, "AKIAUNKNOWN", SimulatedBedrock.TEST_SECRET_ACCESS_KEY, "us-west-2")) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.header("x-amzn-ErrorType")).startsWith("UnrecognizedClientException:");
    }
    try (Response r = send("converse", BODY, SimulatedBedrock.TEST_ACCESS_KEY_ID, SimulatedBedrock.TEST_SECRET_ACCESS_KEY, "eu-west-1")) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.body().string()).contains("valid region");
    }
    assertThat(bedrock.stats().rejected()).isEqualTo(2);
  }

  @Test
  void rejectsABodyChangedAfterSigning() throws IOException {
    Request tampered = signed("converse", BODY, SimulatedBedrock.TEST_ACCESS_KEY_ID, SimulatedBedrock.TEST_SECRET_ACCESS_KEY, "us-west-2")
        .post(RequestBody.create(BODY.replace("2 + 2", "3 + 3"), MediaType.get("application/json"))).build();
    try (Response r = client.newCall(tampered).execute()) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.header("x-amzn-ErrorType")).startsWith("InvalidSignatureException:");
    }
  }

  @Test
  void rejectsAnUnsignedRequest() throws IOException {
    Request unsigned = new Request.Builder().url(bedrock.url() + "/model/" + SigV4Verifier.encode(MODEL) + "/converse")
        .post(RequestBody.create(BODY, MediaType.get("application/json"))).build();
    try (Response r = client.newCall(unsigned).execute()) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.header("x-amzn-ErrorType")).startsWith("MissingAuthenticationTokenException:");
    }
  }

  @Test
  void rejectsASignatureFromTooLongAgo() throws IOException {
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(20)), ZoneOffset.UTC);
    try (SimulatedBedrock future = SimulatedBedrock.start(new SigV4Verifier.Credentials(
        SimulatedBedrock.TEST_ACCESS_KEY_ID, SimulatedBedrock.TEST_SECRET_ACCESS_KEY, null), "us-west-2", later, MODEL)) {
      Request r = signed(future, "converse", BODY, SimulatedBedrock.TEST_ACCESS_KEY_ID, SimulatedBedrock.TEST_SECRET_ACCESS_KEY,
          "us-west-2").build();
      try (Response response = client.newCall(r).execute()) {
        assertThat(response.code()).isEqualTo(403);
        assertThat(response.body().string()).contains("Signature expired");
      }
    }
  }

  @Test
  void acceptsABedrockApiKeyOnlyWhenConfigured() throws IOException {
    Request request = new Request.Builder().url(bedrock.url() + "/model/" + SigV4Verifier.encode(MODEL) + "/converse")
        .header("Authorization", "Bearer ABSKsimulated").post(RequestBody.create(BODY, MediaType.get("application/json"))).build();
    try (Response r = client.newCall(request).execute()) {
      assertThat(r.code()).isEqualTo(403);
    }
    bedrock.acceptApiKey("ABSKsimulated");
    try (Response r = client.newCall(request).execute()) {
      assertThat(r.code()).isEqualTo(200);
    }
  }

  @Test
  void rejectsAnUnknownModelAndAnEmptyConversation() throws IOException {
    try (SimulatedBedrock other = SimulatedBedrock.start("us-west-2", "anthropic.claude-3-haiku-20240307-v1:0")) {
      Request request = signed(other, "converse", BODY, SimulatedBedrock.TEST_ACCESS_KEY_ID,
          SimulatedBedrock.TEST_SECRET_ACCESS_KEY, "us-west-2").build();
      try (Response r = client.newCall(request).execute()) {
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.header("x-amzn-ErrorType")).startsWith("ValidationException:");
        assertThat(r.body().string()).contains("model identifier is invalid");
      }
    }
    try (Response r = send("converse", "{\"messages\":[]}")) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.header("x-amzn-ErrorType")).startsWith("ValidationException:");
    }
  }

  @Test
  void scriptedFaultsLookLikeBedrockErrors() throws IOException {
    bedrock.enqueue(Fault.serviceUnavailable()).enqueue(Fault.rateLimited(Duration.ofSeconds(2)));
    try (Response r = send("converse", BODY)) {
      assertThat(r.code()).isEqualTo(503);
      assertThat(r.header("x-amzn-ErrorType")).startsWith("ServiceUnavailableException:");
    }
    try (Response r = send("converse", BODY)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("x-amzn-ErrorType")).startsWith("ThrottlingException:");
      assertThat(r.header("Retry-After")).isEqualTo("2");
    }
    assertThat(bedrock.stats()).isEqualTo(new SimulatedEndpoint.Stats(2, 0, 2, 0));
  }

  @Test
  void aStreamCanFailWithAnExceptionFrameBeforeItsFirstToken() throws IOException {
    bedrock.enqueue(Fault.failStreamBeforeFirstToken());
    try (Response r = send("converse-stream", BODY)) {
      MessageDecoder decoder = new MessageDecoder();
      decoder.feed(r.body().bytes());
      List<Message> frames = decoder.getDecodedMessages();
      assertThat(frames).hasSize(2);
      assertThat(frames.get(0).getHeaders().get(":event-type").getString()).isEqualTo("messageStart");
      Map<String, ?> h = frames.get(1).getHeaders();
      assertThat(frames.get(1).getHeaders().get(":message-type").getString()).isEqualTo("exception");
      assertThat(frames.get(1).getHeaders().get(":exception-type").getString()).isEqualTo("serviceUnavailableException");
      assertThat(h).doesNotContainKey(":event-type");
    }
  }
}
