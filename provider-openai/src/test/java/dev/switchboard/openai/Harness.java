package dev.switchboard.openai;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.switchboard.Deployment;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.spi.ProviderContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * A WireMock server on loopback plus the provider context the tests share. {@link #close()}
 * validates every chat and embeddings request the server received against OpenAI's published
 * schema, so every request body a test produces is checked.
 */
final class Harness implements AutoCloseable {
  final WireMockServer server;
  final OkHttpClient httpClient;
  final ProviderContext context;
  private final RealTimeScheduler scheduler = new RealTimeScheduler();

  Harness() {
    this(Clock.systemUTC());
  }

  Harness(Clock clock) {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    httpClient = HttpClients.create(HttpSettings.DEFAULTS.withReadTimeout(Duration.ofSeconds(10)));
    context = new ProviderContext(httpClient, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), clock, scheduler, HttpSettings.DEFAULTS);
  }

  String baseUrl() {
    return server.baseUrl() + "/v1";
  }

  OpenAiProvider provider(OpenAi.DeploymentBuilder deployment) {
    return provider(deployment.baseUrl(baseUrl()).build());
  }

  OpenAiProvider provider(Deployment deployment) {
    return (OpenAiProvider) new OpenAiProviderFactory().create(deployment, context);
  }

  /** Checks the request bodies received since the last call, then forgets them. */
  void validateRequests() {
    validate(server.getAllServeEvents());
    server.resetRequests();
  }

  /** Validates one chat request body. */
  static void validateBody(byte[] body) {
    OpenAiRequestSchema.assertValidChatRequest(body);
  }

  static void validate(List<ServeEvent> events) {
    for (ServeEvent e : events) {
      String url = e.getRequest().getUrl();
      if (url.endsWith("/chat/completions")) OpenAiRequestSchema.assertValidChatRequest(e.getRequest().getBody());
      else if (url.endsWith("/responses")) OpenAiRequestSchema.assertValidResponsesRequest(e.getRequest().getBody());
      else if (url.endsWith("/embeddings")) OpenAiRequestSchema.assertValidEmbeddingsRequest(e.getRequest().getBody());
    }
  }

  @Override
  public void close() {
    try {
      validateRequests();
    } finally {
      server.stop();
      httpClient.dispatcher().cancelAll();
      httpClient.connectionPool().evictAll();
      scheduler.close();
    }
  }
}
