package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpClients;
import dev.switchboard.http.SignedRequest;
import dev.switchboard.HttpSettings;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.testing.VirtualTime;
import dev.switchboard.testkit.conformance.RecordingListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared stream runner's contract where a provider signs asynchronously (as Azure does with
 * Entra tokens): nothing is sent when the stream is cancelled or times out before the request is
 * signed, a failed signing ends the stream once, and a dialect's hooks shape errors and metadata.
 * Time is virtual: the stream arms no timer of its own (core owns the first-event limit).
 */
class OpenAiSseStreamTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final ErrorContext ERRORS = new ErrorContext("openai", "dep");

  private final VirtualTime time = new VirtualTime();
  private MockWebServer server;
  private OkHttpClient client;
  private ProviderContext context;
  private OpenAiCodec codec;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    client = HttpClients.create(HttpSettings.DEFAULTS);
    context = new ProviderContext(client, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), time, time, HttpSettings.DEFAULTS);
    codec = new OpenAiCodec(context.objectMapper(), time);
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private OpenAiSseStream stream(OpenAiDialect dialect, CompletableFuture<SignedRequest> request, RecordingListener l) {
    return OpenAiSseStream.start(context, codec, dialect, ERRORS, request, l);
  }

  private SignedRequest signed(String path) {
    return new SignedRequest(new Request.Builder().url(server.url(path)).get().build(), List.of(Secret.of("sk-test")));
  }

  /** Calls the dispatcher holds; {@code enqueue} counts synchronously, so 0 right after signing means nothing was sent. */
  private int callsInFlight() {
    return client.dispatcher().queuedCallsCount() + client.dispatcher().runningCallsCount();
  }

  @Test
  void cancelWhileTheRequestIsBeingSignedSendsNothing() {
    CompletableFuture<SignedRequest> signing = new CompletableFuture<>();
    RecordingListener l = new RecordingListener();
    stream(OpenAiDialect.of(codec), signing, l).cancel();
    signing.complete(signed("/v1/chat/completions"));
    assertThat(callsInFlight()).isZero();
    assertThat(time.pendingTasks()).as("provider timers").isZero();
    assertThat(l.done).isNotDone();
    assertThat(l.events).isEmpty();
  }

  @Test
  void armsNoTimerOfItsOwnCoreOwnsTheFirstEventLimit() {
    // Core arms the first-event limit and cancels the stream when it passes; the stream itself never times out.
    CompletableFuture<SignedRequest> signing = new CompletableFuture<>();
    RecordingListener l = new RecordingListener();
    OpenAiSseStream s = stream(OpenAiDialect.of(codec), signing, l);
    assertThat(time.pendingTasks()).as("provider timers").isZero();
    time.advance(Duration.ofHours(1));
    assertThat(l.done).isNotDone();
    s.cancel(); // what core does when its limit passes
    signing.complete(signed("/v1/chat/completions"));
    assertThat(callsInFlight()).isZero();
    assertThat(l.done).isNotDone();
  }

  @Test
  void aFailedSigningEndsTheStreamOnceWithTheProviderNamed() {
    CompletableFuture<SignedRequest> signing = new CompletableFuture<>();
    RecordingListener l = new RecordingListener();
    stream(OpenAiDialect.of(codec), signing, l);
    signing.completeExceptionally(SwitchboardException.of(ErrorKind.AUTHENTICATION, "no token"));
    assertThatThrownBy(() -> l.await(BOUND)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
      assertThat(e.provider()).contains("openai");
      assertThat(e.target()).contains("dep");
    });
    assertThat(callsInFlight()).isZero();
  }

  @Test
  void theDialectMapsStatusesAndAddsRequestIdAndMetadata() throws Exception {
    OpenAiDialect dialect = new OpenAiDialect() {
      @Override
      public SwitchboardException httpError(int status, Headers headers, byte[] body, ErrorContext ctx, Collection<Secret> secrets) {
        return ctx.error(ErrorKind.QUOTA_EXCEEDED, "dialect saw " + status).build();
      }

      @Override
      public Optional<String> requestId(Headers headers) {
        return Optional.ofNullable(headers.get("other-request-id"));
      }

      @Override
      public Map<String, Object> metadata(Headers headers) {
        return Map.of("dialect.region", headers.get("region"));
      }
    };
    server.enqueue(new MockResponse.Builder().code(503).body("{}").build());
    RecordingListener failed = new RecordingListener();
    stream(dialect, CompletableFuture.completedFuture(signed("/a")), failed);
    assertThatThrownBy(() -> failed.await(BOUND)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED);
      assertThat(e.getMessage()).contains("dialect saw 503");
    });

    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .addHeader("other-request-id", "req-9").addHeader("region", "north")
        .body("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n").build());
    RecordingListener ok = new RecordingListener();
    stream(dialect, CompletableFuture.completedFuture(signed("/b")), ok);
    ResponseMetadata m = ok.await(BOUND);
    assertThat(ok.events).first().isEqualTo(new ChatEvent.TextDelta("hi"));
    assertThat(m.requestId()).contains("req-9");
    assertThat(m.model()).isEqualTo("m");
    assertThat(m.metadata()).containsEntry("dialect.region", "north");
  }
}
