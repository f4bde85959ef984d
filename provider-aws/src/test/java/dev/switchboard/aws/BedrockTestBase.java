package dev.switchboard.aws;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.aws.testing.ManualScheduler;
import dev.switchboard.aws.testing.RecordingListener;
import dev.switchboard.aws.testing.ShapeValidator;
import dev.switchboard.aws.testing.SigV4Checker;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.StreamHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A Bedrock provider against a loopback WireMock server, with static credentials, a fixed clock
 * and a manual scheduler. After each test every request the provider sent is checked: its SigV4
 * signature by the independent {@link SigV4Checker} (so a wrong path encoding or host fails, not
 * only a wrong HMAC), and its body against the Converse / ConverseStream input shapes.
 */
abstract class BedrockTestBase {
  static final String ACCESS_KEY = "AKIDEXAMPLE";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String MODEL = "us.amazon.nova-micro-v1:0";
  static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

  WireMockServer wm;
  OkHttpClient http;
  ManualScheduler scheduler;
  Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  HttpSettings settings = HttpSettings.DEFAULTS;
  ChatProvider provider;
  boolean checkSignatures = true;
  Function<String, String> environment = name -> null;

  @BeforeEach
  void startServer() {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
    http = HttpClients.create(settings);
    scheduler = new ManualScheduler();
    provider = provider(Bedrock.deployment("bedrock-test").region("us-east-1").endpoint(wm.baseUrl())
        .staticCredentials(Secret.of(ACCESS_KEY), Secret.of(SECRET_KEY)).build());
  }

  ProviderContext context() {
    return new ProviderContext(http, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), clock, scheduler, settings);
  }

  ChatProvider provider(Deployment deployment) {
    return new BedrockProviderFactory(environment).create(deployment, context());
  }

  @AfterEach
  void verifyAndStop() {
    try {
      if (checkSignatures) assertEveryRequestSignedAndWellFormed();
      assertEveryOpenAiBodyMatchesTheSchema(requests());
    } finally {
      provider.close();
      wm.stop();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  List<LoggedRequest> requests() {
    List<LoggedRequest> out = new ArrayList<>();
    List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
    java.util.Collections.reverse(events);
    for (ServeEvent e : events) out.add(e.getRequest());
    return out;
  }

  static SigV4Checker.HttpRequest toCheckerRequest(LoggedRequest r) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (HttpHeader h : r.getHeaders().all()) {
      for (String v : h.values()) headers.add(Map.entry(h.key(), v));
    }
    return new SigV4Checker.HttpRequest(r.getMethod().getName(), r.getUrl(), headers, r.getBody());
  }

  void assertEveryRequestSignedAndWellFormed() {
    for (LoggedRequest r : requests()) {
      SigV4Checker.Result result = SigV4Checker.verify(toCheckerRequest(r), SECRET_KEY, true);
      assertThat(result.valid()).as("SigV4 signature of %s %s\ncanonical request:\n%s", r.getMethod(), r.getUrl(),
          result.canonicalRequest()).isTrue();
      assertThat(result.accessKeyId()).isEqualTo(ACCESS_KEY);
      assertThat(result.region()).isEqualTo("us-east-1");
      assertThat(result.service()).isEqualTo("bedrock");
      assertThat(result.signedHeaders()).contains("host", "x-amz-date");
      assertThat(r.getHeader("X-Amz-Date")).isEqualTo("20260304T050607Z");
      assertWellFormed(r);
    }
  }

  static void assertWellFormed(LoggedRequest r) {
    String path = r.getUrl();
    String shape = path.endsWith("/converse") ? "ConverseRequest" : path.endsWith("/converse-stream") ? "ConverseStreamRequest" : null;
    if (shape == null) return;
    JsonNode body;
    try {
      body = ProviderTestKit.objectMapper().readTree(r.getBody());
    } catch (java.io.IOException e) {
      throw new AssertionError("request body is not JSON", e);
    }
    assertThat(ShapeValidator.bedrockRuntime().validate(shape, body)).as("%s body %s", shape, body).isEmpty();
  }

  /**
   * The bodies sent to Bedrock's OpenAI-compatible endpoints are valid against OpenAI's OpenAPI
   * document: {@code CreateChatCompletionRequest} for {@code /openai/v1/chat/completions},
   * {@code CreateResponse} for {@code /openai/v1/responses} (no check without the shared fixtures,
   * except on CI; see {@link OpenAiRequestSchema}).
   */
  static void assertEveryOpenAiBodyMatchesTheSchema(List<LoggedRequest> sent) {
    for (LoggedRequest r : sent) {
      String path = r.getUrl();
      if (path.endsWith("/openai/v1/chat/completions")) OpenAiRequestSchema.assertValidChatRequest(r.getBody());
      if (path.endsWith("/openai/v1/responses")) OpenAiRequestSchema.assertValidResponsesRequest(r.getBody());
    }
  }

  TargetRef target(String model) {
    return new TargetRef("bedrock-test", "bedrock", model);
  }

  ProviderCall call(ChatRequest request, String model) {
    return new ProviderCall(ProviderRequest.from(request), target(model), Duration.ofSeconds(20), 1);
  }

  ChatResponse chat(ChatRequest request) {
    return chat(request, MODEL);
  }

  ChatResponse chat(ChatRequest request, String model) {
    try {
      return provider.chat(call(request, model)).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("chat failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  SwitchboardException chatError(ChatRequest request) {
    return chatError(request, MODEL);
  }

  SwitchboardException chatError(ChatRequest request, String model) {
    try {
      ChatResponse r = provider.chat(call(request, model)).get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + r);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SwitchboardException s) return s;
      throw new AssertionError("not a SwitchboardException", e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  RecordingListener stream(ChatRequest request) {
    return stream(request, MODEL);
  }

  RecordingListener stream(ChatRequest request, String model) {
    RecordingListener listener = new RecordingListener();
    StreamHandle handle = provider.stream(call(request, model), listener);
    assertThat(handle).isNotNull();
    return listener;
  }

  static ChatRequest hello() {
    return ChatRequest.builder("alias").system("Be brief.").user("Hello!").build();
  }
}
