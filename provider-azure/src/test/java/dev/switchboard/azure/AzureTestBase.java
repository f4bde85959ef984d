package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Deployment;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderEmbeddingCall;
import dev.switchboard.testing.VirtualTime;
import dev.switchboard.testkit.conformance.RecordingListener;
import dev.switchboard.testkit.logging.RecordingLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * WireMock on loopback plus a provider context whose clock is a {@link VirtualTime} (timers run
 * on a real scheduler), and helpers to call a provider directly through the SPI. After each test,
 * every request must have carried the expected credentials and no secret may appear in a log line.
 */
abstract class AzureTestBase {
  static final String KEY = "azure-test-key-0123456789abcdef";
  static final Duration BOUND = Duration.ofSeconds(20);

  WireMockServer server;
  OkHttpClient httpClient;
  VirtualTime time;
  RealTimeScheduler scheduler;
  ProviderContext context;
  final List<ChatProvider> providers = new ArrayList<>();
  /** Secret values that must appear in no log line. */
  final List<String> secrets = new ArrayList<>(List.of(KEY));

  @BeforeEach
  void startServer() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    httpClient = HttpClients.create(HttpSettings.DEFAULTS.withReadTimeout(Duration.ofSeconds(10)));
    time = new VirtualTime();
    scheduler = new RealTimeScheduler();
    context = new ProviderContext(httpClient, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), time, scheduler, HttpSettings.DEFAULTS);
    RecordingLogs.clear();
  }

  @AfterEach
  void stopServer() {
    providers.forEach(ChatProvider::close);
    server.stop();
    httpClient.dispatcher().cancelAll();
    httpClient.connectionPool().evictAll();
    scheduler.close();
    for (RecordingLogs.Line line : RecordingLogs.lines()) {
      for (String s : secrets) assertThat(line.text()).as("log line of " + line.logger()).doesNotContain(s);
    }
  }

  AzureOpenAi.DeploymentBuilder deployment() {
    return AzureOpenAi.deployment("az").endpoint(server.baseUrl());
  }

  ChatProvider provider(Deployment deployment) {
    return provider(new AzureOpenAiProviderFactory(), deployment);
  }

  ChatProvider provider(AzureOpenAiProviderFactory factory, Deployment deployment) {
    ChatProvider p = factory.create(deployment, context);
    providers.add(p);
    return p;
  }

  static ProviderCall call(ChatRequest request, String azureDeployment) {
    return new ProviderCall(ProviderRequest.from(request), new TargetRef("az", AzureOpenAiProviderFactory.TYPE, azureDeployment), BOUND, 1);
  }

  static ChatRequest hello() {
    return ChatRequest.of("alias", "Say hello");
  }

  static ChatResponse chat(ChatProvider p, ChatRequest request, String azureDeployment) {
    return await(p.chat(call(request, azureDeployment)));
  }

  static RecordingListener stream(ChatProvider p, ChatRequest request, String azureDeployment) {
    RecordingListener l = new RecordingListener();
    p.stream(call(request, azureDeployment), l);
    return l;
  }

  static EmbeddingResponse embed(ChatProvider p, EmbeddingRequest request, String azureDeployment) {
    return await(p.embed(new ProviderEmbeddingCall(request,
        new TargetRef("az", AzureOpenAiProviderFactory.TYPE, azureDeployment), BOUND, 1)));
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SwitchboardException se) throw se;
      throw new AssertionError("future failed with a non-Switchboard exception (contract violation)", e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Every request WireMock received, in order. */
  List<LoggedRequest> requests() {
    List<LoggedRequest> all = new ArrayList<>();
    server.getAllServeEvents().forEach(e -> all.add(0, e.getRequest()));
    return all;
  }
}
