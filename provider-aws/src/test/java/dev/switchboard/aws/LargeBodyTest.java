package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.aws.testing.GeneratedBodyServer;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.testing.VirtualTime;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Converse body of many MB, read while it is parsed (issue 22 item 6): the read stops within a
 * chunk once the call's deadline passes or the call is cancelled, even on a blocking caller's
 * own thread, instead of parsing the whole body first; the size limit holds while streaming.
 * Time is virtual: the test moves the clock past the deadline once the client has read 1 MB, and
 * counts on the client's side how many body bytes the provider pulled.
 */
class LargeBodyTest {
  static final String MODEL = "us.amazon.nova-micro-v1:0";
  static final String PREFIX = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"";
  static final String SUFFIX = "\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":3,\"outputTokens\":5,\"totalTokens\":8}}";
  /** 12 MB of text in one content block (under Jackson's 16 MB string limit, so the old reader parsed it whole). */
  static final long TEXT_BYTES = 12L * 1024 * 1024;
  static final long ONE_MB = 1024 * 1024;
  /** How far past the trigger a read may go: Jackson reads 8 KB at a time, Okio 8 KB segments. */
  static final long SLACK = 64 * 1024;
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  final VirtualTime time = new VirtualTime();
  final AtomicLong bodyBytesRead = new AtomicLong();
  final CountDownLatch bodyClosed = new CountDownLatch(1);
  final AtomicReference<Thread> readingThread = new AtomicReference<>();
  volatile LongConsumer onRead = total -> { };
  HttpSettings settings = HttpSettings.DEFAULTS;
  OkHttpClient http;

  OkHttpClient http() {
    if (http == null) {
      http = HttpClients.create(settings).newBuilder().addNetworkInterceptor(chain -> counting(chain.proceed(chain.request()))).build();
    }
    return http;
  }

  @AfterEach
  void stopClient() {
    if (http == null) return;
    http.dispatcher().executorService().shutdownNow();
    http.connectionPool().evictAll();
  }

  /** Counts the body bytes the provider reads, calls {@link #onRead} after each read, and notes when the body is closed. */
  private Response counting(Response response) {
    ResponseBody body = response.body();
    ForwardingSource source = new ForwardingSource(body.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        readingThread.set(Thread.currentThread());
        long n = super.read(sink, byteCount);
        if (n > 0) onRead.accept(bodyBytesRead.addAndGet(n));
        return n;
      }

      @Override
      public void close() throws IOException {
        super.close();
        bodyClosed.countDown();
      }
    };
    return response.newBuilder().body(ResponseBody.create(Okio.buffer(source), body.contentType(), body.contentLength())).build();
  }

  /** Moves virtual time past every deadline once the client has read {@code bytes} of the body. */
  void passTheDeadlineAfter(long bytes) {
    onRead = total -> {
      if (total >= bytes) {
        onRead = t -> { };
        time.advance(TIMEOUT.plusSeconds(1));
      }
    };
  }

  ChatProvider provider(String url) {
    ProviderContext context = new ProviderContext(http(), ProviderTestKit.newObjectMapper(), time, time, settings);
    return new BedrockProviderFactory(name -> null).create(CancellationTest.deployment("large", url), context);
  }

  static ProviderCall call() {
    return new ProviderCall(ProviderRequest.from(ChatRequest.of("chat", "hello")), new TargetRef("large", "bedrock", MODEL), TIMEOUT, 1);
  }

  static SwitchboardException failure(CompletableFuture<ChatResponse> future) throws Exception {
    try {
      ChatResponse r = future.get(60, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got a response of " + r.text().length() + " characters");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SwitchboardException.class);
      return (SwitchboardException) e.getCause();
    }
  }

  @Test
  void aDeadlinePassingWhileAHugeBodyIsReadEndsTheCallWithTimeoutWithinAChunk() throws Exception {
    try (GeneratedBodyServer server = new GeneratedBodyServer(PREFIX, TEXT_BYTES, SUFFIX, false);
        ChatProvider provider = provider(server.url())) {
      passTheDeadlineAfter(ONE_MB);

      SwitchboardException e = failure(provider.chat(call()));

      assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(e.detail()).contains("deadline passed while the response body was read");
      assertThat(bodyClosed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(bodyBytesRead.get()).as("body bytes read of %s", server.bodyLength()).isBetween(ONE_MB, ONE_MB + SLACK);
    }
  }

  /**
   * The blocking form, where the body is read and parsed on the caller's own thread (the probe's
   * 1.6–2.1 s overrun). Here core's own deadline fires too and cancels the attempt, which since
   * item 5 also closes the connection, so this one guards the read rather than the parse; the
   * test above is the one that shows the parse itself stopping.
   */
  @Test
  void aBlockingChatStopsReadingOnItsOwnThreadWhenTheDeadlinePasses() throws Exception {
    try (GeneratedBodyServer server = new GeneratedBodyServer(PREFIX, TEXT_BYTES, SUFFIX, false);
        Switchboard sb = Switchboard.builder().httpClient(http()).time(time, time)
            .deployment(CancellationTest.deployment("large", server.url()))
            .model(ModelAlias.builder("chat").target("large", MODEL).build()).build()) {
      passTheDeadlineAfter(ONE_MB);

      Throwable thrown = catchThrowable(() -> sb.chat(ChatRequest.builder("chat").user("hello").timeout(TIMEOUT).build()));

      assertThat(thrown).isInstanceOf(SwitchboardException.class);
      assertThat(((SwitchboardException) thrown).kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(readingThread.get()).as("the body was read on the caller's thread").isSameAs(Thread.currentThread());
      assertThat(bodyBytesRead.get()).as("body bytes read of %s", server.bodyLength()).isBetween(ONE_MB, ONE_MB + SLACK);
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void cancellingWhileAHugeBodyIsReadStopsTheReadWithinAChunk() throws Exception {
    try (GeneratedBodyServer server = new GeneratedBodyServer(PREFIX, TEXT_BYTES, SUFFIX, false);
        ChatProvider provider = provider(server.url())) {
      CompletableFuture<CompletableFuture<ChatResponse>> call = new CompletableFuture<>();
      onRead = total -> {
        if (total >= ONE_MB) {
          onRead = t -> { };
          call.join().cancel(true);
        }
      };
      call.complete(provider.chat(call()));

      assertThat(bodyClosed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(call.join()).isCancelled();
      assertThat(bodyBytesRead.get()).as("body bytes read of %s", server.bodyLength()).isBetween(ONE_MB, ONE_MB + SLACK);
    }
  }

  @Test
  void aHugeBodyWithinItsDeadlineIsReadWhole() throws Exception {
    try (GeneratedBodyServer server = new GeneratedBodyServer(PREFIX, TEXT_BYTES, SUFFIX, false);
        ChatProvider provider = provider(server.url())) {
      ChatResponse r = provider.chat(call()).get(60, TimeUnit.SECONDS);

      assertThat(r.text()).hasSize((int) TEXT_BYTES).startsWith("aaaa").endsWith("aaaa");
      assertThat(r.usage().outputTokens()).isEqualTo(5);
      assertThat(r.requestId()).contains("generated-1");
      assertThat(bodyBytesRead.get()).isEqualTo(server.bodyLength());
    }
  }

  @Test
  void aChunkedBodyPastTheSizeLimitIsRefusedAsSoonAsItPassesIt() throws Exception {
    settings = HttpSettings.DEFAULTS.withMaxResponseBytes(ONE_MB);
    try (GeneratedBodyServer server = new GeneratedBodyServer(PREFIX, TEXT_BYTES, SUFFIX, true);
        ChatProvider provider = provider(server.url())) {
      SwitchboardException e = failure(provider.chat(call()));

      assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
      assertThat(e.detail()).contains("response body larger than the limit of 1048576 bytes");
      assertThat(bodyClosed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(bodyBytesRead.get()).isBetween(ONE_MB, ONE_MB + SLACK);
    }
  }

  /** What follows the JSON is not parsed, but it is read: the limit covers the whole body, as it did when the body was read first. */
  @Test
  void bytesAfterTheTopLevelObjectCountTowardsTheSizeLimit() throws Exception {
    settings = HttpSettings.DEFAULTS.withMaxResponseBytes(ONE_MB);
    String json = PREFIX + "short" + SUFFIX;
    try (GeneratedBodyServer server = new GeneratedBodyServer(json, 2 * ONE_MB, "", true);
        ChatProvider provider = provider(server.url())) {
      SwitchboardException e = failure(provider.chat(call()));

      assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
      assertThat(e.detail()).contains("larger than the limit");
    }
  }
}
