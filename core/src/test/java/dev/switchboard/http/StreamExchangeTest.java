package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.HttpSettings;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared stream skeleton, with a line-per-event wire: exactly one terminal callback for each
 * way a stream ends, nothing after cancel, nothing sent when cancelled before sending.
 */
class StreamExchangeTest {
  private static final ErrorContext CTX = new ErrorContext("test", "dep");

  private MockWebServer server;
  private OkHttpClient client;
  private final Recorder listener = new Recorder();
  private final CountDownLatch readOver = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    client = HttpClients.create(HttpSettings.DEFAULTS);
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void eventsInOrderThenOneCompletion() throws Exception {
    server.enqueue(new MockResponse.Builder().body("a\nb\nEND\n").build());
    StreamExchange exchange = send();
    listener.awaitEnd();
    assertThat(listener.texts()).containsExactly("a", "b");
    assertThat(listener.ends).containsExactly("complete");
    exchange.fail(CTX.error(ErrorKind.PROTOCOL, "late").build());
    assertThat(listener.ends).as("a later failure is not a second ending").containsExactly("complete");
  }

  @Test
  void anAnswerTheWireRejectsIsOneErrorAndNoEvents() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("a\nEND\n").build());
    send();
    listener.awaitEnd();
    assertThat(listener.texts()).isEmpty();
    assertThat(listener.ends).containsExactly("error SERVER_ERROR status 503");
  }

  @Test
  void aTruncatedStreamIsTheWiresErrorAfterTheEventsReceived() throws Exception {
    server.enqueue(new MockResponse.Builder().body("a\nb\n").build());
    send();
    listener.awaitEnd();
    assertThat(listener.texts()).as("what the caller already received stays").containsExactly("a", "b");
    assertThat(listener.ends).containsExactly("error PROTOCOL io EOFException");
  }

  @Test
  void aListenerThatThrowsEndsTheStreamOnceWithAnError() throws Exception {
    server.enqueue(new MockResponse.Builder().body("a\nboom\nc\nEND\n").build());
    send();
    listener.awaitEnd();
    assertThat(listener.texts()).containsExactly("a", "boom");
    assertThat(listener.ends).containsExactly("error PROTOCOL runtime IllegalStateException");
  }

  @Test
  void cancelledBeforeSendingSendsNothingAndCallsNothing() throws Exception {
    StreamExchange exchange = new StreamExchange(listener, CTX);
    exchange.cancel();
    exchange.send(client.newCall(new Request.Builder().url(server.url("/s")).build()), new Lines());
    exchange.fail(CTX.error(ErrorKind.PROTOCOL, "after cancel").build());
    assertThat(server.getRequestCount()).isZero();
    assertThat(listener.events).isEmpty();
    assertThat(listener.ends).isEmpty();
  }

  @Test
  void cancelledWhileReadingDeliversNothingMoreAndNoEnding() throws Exception {
    server.enqueue(new MockResponse.Builder().body("a\ncancel\nc\nEND\n").build());
    StreamExchange[] exchange = new StreamExchange[1];
    listener.onText = text -> {
      if (text.equals("cancel")) exchange[0].cancel();
    };
    exchange[0] = send();
    assertThat(readOver.await(10, TimeUnit.SECONDS)).as("the read unwound").isTrue();
    assertThat(listener.texts()).containsExactly("a", "cancel");
    assertThat(listener.ends).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aFailedSigningEndsTheStreamWithoutSending() {
    StreamExchange exchange = new StreamExchange(listener, CTX);
    exchange.fail(CTX.error(ErrorKind.AUTHENTICATION, "no token").build());
    exchange.fail(CTX.error(ErrorKind.PROTOCOL, "second").build());
    assertThat(listener.ends).containsExactly("error AUTHENTICATION no token");
    assertThat(server.getRequestCount()).isZero();
  }

  private StreamExchange send() {
    StreamExchange exchange = new StreamExchange(listener, CTX);
    exchange.send(client.newCall(new Request.Builder().url(server.url("/s")).build()), new Lines());
    return exchange;
  }

  /** One event per line; END finishes the stream; the body ending first is an EOFException. */
  private final class Lines implements StreamExchange.Wire {
    @Override
    public SwitchboardException reject(Response response) {
      return response.code() == 200 ? null : CTX.error(ErrorKind.SERVER_ERROR, "status " + response.code()).build();
    }

    @Override
    public StreamExchange.Reader open(Response response) {
      BufferedSource source = response.body().source();
      return new StreamExchange.Reader() {
        @Override
        public boolean step(StreamExchange.Sink sink) throws IOException {
          boolean more = false;
          try {
            String line = source.readUtf8Line();
            if (line == null) throw new EOFException("no END");
            if (line.equals("END")) return false;
            sink.event(new ChatEvent.TextDelta(line));
            more = !sink.stopped();
            return more;
          } finally {
            if (!more) readOver.countDown();
          }
        }

        @Override
        public ResponseMetadata metadata() {
          return ResponseMetadata.EMPTY;
        }
      };
    }

    @Override
    public SwitchboardException failure(Response response, Exception failure, boolean canceled) {
      if (failure instanceof SwitchboardException e) return e;
      String what = failure instanceof IOException ? "io " : "runtime ";
      return CTX.error(ErrorKind.PROTOCOL, what + failure.getClass().getSimpleName()).build();
    }
  }

  private static final class Recorder implements ProviderStreamListener {
    final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    final List<String> ends = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);
    volatile java.util.function.Consumer<String> onText = t -> { };

    @Override
    public void onEvent(ChatEvent event) {
      events.add(event);
      String text = ((ChatEvent.TextDelta) event).text();
      if (text.equals("boom")) throw new IllegalStateException("listener failed");
      onText.accept(text);
    }

    @Override
    public void onComplete(ResponseMetadata metadata) {
      ends.add("complete");
      ended.countDown();
    }

    @Override
    public void onError(SwitchboardException error) {
      ends.add("error " + error.kind() + " " + error.detail());
      ended.countDown();
    }

    List<String> texts() {
      return events.stream().map(e -> ((ChatEvent.TextDelta) e).text()).toList();
    }

    void awaitEnd() throws InterruptedException {
      assertThat(ended.await(10, TimeUnit.SECONDS)).as("the stream ended").isTrue();
    }
  }
}
