package dev.switchboard.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.azure.AzureWire.chunk;
import static dev.switchboard.azure.AzureWire.json;
import static dev.switchboard.azure.AzureWire.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.HttpSettings;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testkit.conformance.RecordingListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stream failures besides HTTP statuses: errors inside the stream, timeouts while a token is fetched. */
class AzureStreamEdgeTest extends AzureTestBase {
  private static final String PATH = "/openai/deployments/gpt-4o-prod/chat/completions";

  @Test
  void anErrorInsideTheStreamIsTypedAndCarriesTheRegion() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(AzureWire.PROMPT_CHUNK
        + chunk("{\"content\":\"Par\"}", null, AzureWire.SAFE_FILTERS)
        + "data: {\"error\":{\"code\":\"server_error\",\"message\":\"The server had an error while processing your request.\"}}\n\n")));
    RecordingListener l = stream(provider(deployment().apiKey(KEY).build()), hello(), "gpt-4o-prod");
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(AzureOpenAiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
      assertThat(e.providerCode()).contains("server_error");
      assertThat(e.region()).contains("Sweden Central");
      assertThat(e.requestId()).contains("apim-s");
    });
    assertThat(l.text()).isEqualTo("Par");
  }

  @Test
  void aJsonBodyWhereAStreamWasExpectedIsClassified() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, AzureWire.error("429", "too many requests"))));
    RecordingListener l = stream(provider(deployment().apiKey(KEY).build()), hello(), "gpt-4o-prod");
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(AzureOpenAiException.class,
        e -> assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED));
  }

  @Test
  void coresDeadlineCoversATokenFetchThatHangsAndNothingIsSent() throws Exception {
    // One owner: the Switchboard's deadline ends the stream (core's TIMEOUT text); the provider arms no timer of its own.
    CountDownLatch fetching = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    secrets.add("eyJ-slow-token");
    try (Switchboard sb = Switchboard.builder()
        .deployment(deployment().urlStyle(UrlStyle.V1).build())
        .providerFactory(AzureOpenAi.factory().withTokenSupplier("az", () -> {
          fetching.countDown();
          release.await(10, TimeUnit.SECONDS);
          return AzureAccessToken.of("eyJ-slow-token", time.instant().plusSeconds(3600));
        }))
        .model(ModelAlias.builder("chat").target("az", "gpt-4o").build())
        .time(time, time)
        .build()) {
      ChatStream stream = sb.stream(ChatRequest.builder("chat").user("hello").timeout(Duration.ofSeconds(5)).build());
      CompletableFuture<SwitchboardException> failed = dev.switchboard.testkit.StreamFailure.of(stream);
      assertThat(fetching.await(10, TimeUnit.SECONDS)).isTrue();
      time.advance(Duration.ofSeconds(5));
      SwitchboardException e = failed.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(e.getMessage()).contains("call to model alias 'chat' passed its deadline of 5000 ms")
          .doesNotContain("no stream event within");
      assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.errorKind()).contains(ErrorKind.TIMEOUT));
      stream.close();
    } finally {
      release.countDown();
    }
    assertThat(server.getAllServeEvents()).as("requests the server saw").isEmpty();
  }

  @Test
  void anAzureExceptionKeepsItsDetailsThroughToBuilder() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(400, "{\"error\":{\"code\":\"content_filter\",\"message\":\"x\","
        + "\"param\":\"prompt\",\"innererror\":{\"content_filter_result\":{\"sexual\":{\"filtered\":true,\"severity\":\"low\"}}}}}")));
    AzureOpenAiException e = (AzureOpenAiException) org.assertj.core.api.Assertions.catchThrowable(
        () -> chat(provider(deployment().apiKey(KEY).build()), hello(), "gpt-4o-prod"));
    SwitchboardException copy = e.toBuilder().target("other").build();
    assertThat(copy).isInstanceOfSatisfying(AzureOpenAiException.class, c -> {
      assertThat(c.filteredCategories()).containsExactly("sexual");
      assertThat(c.region()).contains("East US");
      assertThat(c.target()).contains("other");
      assertThat(c.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
      assertThat(c.requestId()).isEqualTo(e.requestId());
    });
  }
}
