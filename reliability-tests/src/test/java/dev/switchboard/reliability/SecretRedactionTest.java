package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.Deployment;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.azure.AzureAccessToken;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.openai.OpenAi;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testkit.logging.RecordingLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every credential form the providers accept — OpenAI key, Azure key, Entra token, AWS access
 * key + secret key + session token (SigV4), Bedrock API key — through healthy calls, streams,
 * failures whose bodies echo the credential, and failover, with every logger at TRACE. No log
 * line, exception text, or {@code toString()} of a value the caller can hold may contain any of
 * them, nor a SigV4 signature the provider computed.
 */
@ExtendWith(LeakGuard.class)
class SecretRedactionTest {
  static final String OPENAI_KEY = "sk-redaction-OPENAI-5c2e9d1f7a3b4c6d";
  static final String AZURE_KEY = "redactionazurekey0123456789abcdef";
  static final String ENTRA_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.redaction-entra-token.sig";
  static final String AWS_ACCESS_KEY = "AKIAREDACTIONTEST001";
  static final String AWS_SECRET_KEY = "redactionSecretKey/abcdefghij0123456789+KLMNOP";
  static final String AWS_SESSION_TOKEN = "FwoGZXIvYXdzEREDACTIONSESSIONTOKENxyz0123456789";
  static final String BEDROCK_API_KEY = "ABSKredactionBedrockApiKey0123456789";
  private static final Pattern SIGNATURE = Pattern.compile("Signature=([0-9a-f]{64})");

  private final List<String> secrets = new ArrayList<>(List.of(
      OPENAI_KEY, AZURE_KEY, ENTRA_TOKEN, AWS_ACCESS_KEY, AWS_SECRET_KEY, AWS_SESSION_TOKEN, BEDROCK_API_KEY));
  private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
  private final List<String> shown = new ArrayList<>();
  private MockWebServer server;
  /** Which answer each path gets: "ok", or an HTTP status to fail with (the body echoes the credential). */
  private volatile String mode = "ok";

  @BeforeEach
  void start() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(RecordingLogs.active(), "needs the recording SLF4J provider");
    RecordingLogs.clear();
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String auth = request.getHeaders().get("Authorization");
        if (auth != null) authorizations.add(auth);
        return answer(request, auth);
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private MockResponse answer(RecordedRequest request, String auth) {
    String path = request.getTarget();
    Kind kind = path.contains("/model/") ? Kind.BEDROCK : path.contains("/openai/") ? Kind.AZURE : Kind.OPENAI;
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    boolean stream = kind == Kind.BEDROCK ? path.contains("/converse-stream") : body.contains("\"stream\":true");
    if (!mode.equals("ok")) {
      int status = Integer.parseInt(mode);
      // Some servers echo what they were sent; the provider must scrub it.
      String echo = "rejected credentials: " + auth + " api-key=" + request.getHeaders().get("api-key")
          + " token=" + request.getHeaders().get("X-Amz-Security-Token");
      return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
          .setHeader("Retry-After", "1").body(new Buffer().write(errorBody(kind, status, echo))).build();
    }
    if (stream) {
      return new MockResponse.Builder().code(200).setHeader("Content-Type", kind.streamContentType())
          .body(new Buffer().write(kind.stream("hello", " there"))).build();
    }
    return new MockResponse.Builder().code(200).setHeader("Content-Type", kind.chatContentType())
        .body(new Buffer().write(kind.chat("hello there"))).build();
  }

  /**
   * {@link Kind#errorBody} with the echo planted in every field the provider reads besides the
   * message: OpenAI's and Azure's type, code and {@code innererror.code}, Bedrock's {@code __type}
   * (after a {@code #}, so it survives the namespace cut).
   */
  private static byte[] errorBody(Kind kind, int status, String echo) {
    String e = dev.switchboard.testing.ProviderTestKit.objectMapper().valueToTree(echo).toString();
    String planted = dev.switchboard.testing.ProviderTestKit.objectMapper().valueToTree(echo.replace(":", "")).toString();
    String body = switch (kind) {
      case OPENAI, AZURE -> "{\"error\":{\"message\":" + e + ",\"type\":" + planted + ",\"param\":null,\"code\":" + planted
          + ",\"innererror\":{\"code\":" + planted + "}}}";
      case BEDROCK -> "{\"message\":" + e + ",\"__type\":" + planted.replaceFirst("^\"", "\"com.amazon.bedrock#") + "}";
    };
    return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private List<Deployment> deployments() {
    return List.of(
        OpenAi.deployment("openai").baseUrl(url() + "/v1").apiKey(Secret.of(OPENAI_KEY)).build(),
        AzureOpenAi.deployment("azure-key").endpoint(url()).apiKey(Secret.of(AZURE_KEY)).build(),
        AzureOpenAi.deployment("azure-entra").endpoint(url()).entraId().build(),
        Bedrock.deployment("bedrock-sigv4").region("us-east-1").endpoint(url())
            .sessionCredentials(Secret.of(AWS_ACCESS_KEY), Secret.of(AWS_SECRET_KEY), Secret.of(AWS_SESSION_TOKEN)).build(),
        Bedrock.deployment("bedrock-key").region("us-east-1").endpoint(url()).apiKey(Secret.of(BEDROCK_API_KEY)).build());
  }

  private Switchboard switchboard(Deployment d, MockProvider backup) {
    return Switchboard.builder()
        .providerFactory(AzureOpenAi.factory().withTokenSupplier("azure-entra",
            () -> AzureAccessToken.of(ENTRA_TOKEN, Instant.now().plusSeconds(3600))))
        .meterRegistry(new SimpleMeterRegistry())
        .logContent(40)
        .deployment(d)
        .deployment("backup", backup)
        .model(ModelAlias.builder("chat").target(d.name(), d.type().equals("bedrock") ? "us.amazon.nova-micro-v1:0" : "gpt-4o")
            .target("backup", "mock").build())
        .build();
  }

  @Test
  void noCredentialOrSignatureShowsAnywhere() throws Exception {
    for (Deployment d : deployments()) {
      show(d);
      MockProvider backup = MockProvider.create().otherwiseReply("backup answer");
      try (Switchboard sb = switchboard(d, backup)) {
        ChatRequest request = ChatRequest.builder("chat").system("be brief").user("hi").build();
        show(request);
        mode = "ok";
        ChatResponse r = sb.chat(request);
        assertThat(r.text()).as(d.name()).isEqualTo("hello there");
        show(r);
        try (ChatStream s = sb.stream(request)) {
          for (ChatEvent e : s) show(e);
          show(s.response().join());
        }
        // Before the 429: a target cooling down after it is skipped, and the 400 would never reach it.
        mode = "400";
        try {
          sb.chat(request);
          throw new AssertionError(d.name() + ": a 400 must not succeed");
        } catch (SwitchboardException e) {
          show(e);
        }
        for (String status : List.of("401", "403", "429", "500")) {
          mode = status;
          // 401/403/429/500 all fail over to the backup by default; the trace keeps each error.
          ChatResponse failedOver = sb.chat(request);
          assertThat(failedOver.servedBy().deployment()).as(d.name() + " " + status).isEqualTo("backup");
          show(failedOver);
          failedOver.attempts().forEach(a -> a.error().ifPresent(this::show));
        }
      }
    }
    collectSignatures();
    assertThat(secrets).as("signatures captured").anyMatch(s -> s.length() == 64);
    assertThat(shown).as("provider messages were kept (the planted fields reached the accessors)")
        .anyMatch(t -> t.startsWith("rejected credentials"));
    assertNoSecretShown();
  }

  private void collectSignatures() {
    for (String auth : authorizations) {
      Matcher m = SIGNATURE.matcher(auth);
      if (m.find()) secrets.add(m.group(1));
    }
  }

  private void show(Object o) {
    if (o instanceof Throwable t) {
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      shown.add(t.getMessage() + "\n" + w);
      if (t instanceof SwitchboardException e) {
        // Every server-supplied accessor, each of which had a credential planted in it.
        for (SwitchboardException x : withAttemptErrors(e)) {
          shown.add(x.providerMessage().orElse("") + "|" + x.providerType().orElse("") + "|" + x.providerCode().orElse("")
              + "|" + x.providerInnerCode().orElse("") + "|" + x.requestId().orElse(""));
        }
      }
    } else {
      shown.add(String.valueOf(o));
    }
  }

  private static List<SwitchboardException> withAttemptErrors(SwitchboardException e) {
    List<SwitchboardException> all = new ArrayList<>(List.of(e));
    e.attempts().forEach(a -> a.error().ifPresent(all::add));
    return all;
  }

  private void assertNoSecretShown() {
    for (String text : shown) {
      for (String secret : secrets) {
        assertThat(text).as("toString/exception text").doesNotContain(secret);
      }
    }
    List<RecordingLogs.Line> lines = RecordingLogs.lines();
    assertThat(lines).as("log lines at TRACE were recorded").isNotEmpty();
    Set<String> awsSdkMayShow = Set.of(AWS_SESSION_TOKEN);
    for (RecordingLogs.Line line : lines) {
      for (String secret : secrets) {
        // Known, documented exception: the AWS SDK's own signer logs its canonical request at
        // DEBUG, which holds the session token (never the secret key or the signature).
        if (line.logger().startsWith("software.amazon.awssdk") && awsSdkMayShow.contains(secret)) continue;
        assertThat(line.text()).as("log line of " + line.logger() + " at " + line.level()).doesNotContain(secret);
      }
    }
  }
}
