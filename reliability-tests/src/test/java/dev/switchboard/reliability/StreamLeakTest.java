package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.CallListener;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.Timeouts;
import dev.switchboard.routing.RoutingPolicy;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every stream's HTTP call ends, whatever the caller does with it: closed mid-way, read to the
 * end without {@code close()}, never read at all (the consumer timeout cancels it), or dropped
 * unclosed (the {@link java.lang.ref.Cleaner} in {@code DefaultChatStream} closes it once the
 * handle is collected). Each is checked on the switchboard's own OkHttp client: no call still
 * running, no connection held, and the call's end reported to the listener.
 */
@ExtendWith(LeakGuard.class)
class StreamLeakTest {
  /** Long enough that only the mechanism under test can end the stream. */
  static final RoutingPolicy PATIENT = RoutingPolicy.builder()
      .timeouts(Timeouts.builder().call(Duration.ofMinutes(5)).streamIdle(Duration.ofMinutes(5)).build()).build();

  /** A stream that sends {@code events} text events, then holds the connection open forever. */
  static FaultServer.Script stallsAfter(Kind k, int events) {
    return ex -> {
      ex.head(200, k.streamContentType(), -1).write(k.streamPreamble());
      for (int i = 0; i < events; i++) ex.write(k.streamText("t" + i + " "));
      ex.stall();
    };
  }

  static void assertCallEnded(Rig rig, ErrorKind kind) {
    rig.assertQuiescent();
    Waits.until(Duration.ofSeconds(10), () -> !rig.ends().isEmpty(), () -> "the call listener never heard the stream end");
    CallListener.CallEnd end = rig.ends().get(0);
    assertThat(end.error()).as("how the call ended").hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(kind));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void closingAStreamMidWayCancelsItsCall(Kind k) throws Exception {
    try (FaultServer server = new FaultServer(stallsAfter(k, 3));
        Rig rig = Rig.builder(k, server.url()).policy(PATIENT).build()) {
      ChatStream s = rig.switchboard.stream(ChatRequest.of(Rig.ALIAS, "hi"));
      Iterator<ChatEvent> it = s.iterator();
      assertThat(it.next()).isInstanceOf(ChatEvent.TextDelta.class);
      s.close();
      assertCallEnded(rig, ErrorKind.CANCELLED);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aStreamReadToTheEndWithoutCloseReturnsItsConnection(Kind k) throws Exception {
    try (FaultServer server = new FaultServer(ex -> ex.respond(200, k.streamContentType(), k.stream("a", "b")));
        Rig rig = Rig.builder(k, server.url()).policy(PATIENT).build()) {
      ChatStream s = rig.switchboard.stream(ChatRequest.of(Rig.ALIAS, "hi"));
      s.forEach(e -> { });
      assertThat(s.response().join().text()).isEqualTo("ab");
      rig.assertQuiescent();
      ConnectionPool pool = rig.client.connectionPool();
      assertThat(pool.idleConnectionCount()).as("the connection went back to the pool").isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aStreamNobodyReadsIsCancelledAfterTheConsumerTimeout(Kind k) throws Exception {
    // More events than the stream's queue holds (256), so the reading thread has to wait for the caller.
    try (FaultServer server = new FaultServer(stallsAfter(k, 400));
        Rig rig = Rig.builder(k, server.url()).policy(PATIENT).consumerTimeout(Duration.ofMillis(300)).build()) {
      ChatStream s = rig.switchboard.stream(ChatRequest.of(Rig.ALIAS, "hi"));
      CompletableFuture<?> response = s.response();
      try {
        response.get(30, TimeUnit.SECONDS); // bounded only against a hang: the consumer timeout ends it
        throw new AssertionError("an unread stream completed");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOfSatisfying(SwitchboardException.class,
            se -> assertThat(se.kind()).isEqualTo(ErrorKind.CANCELLED));
      }
      assertCallEnded(rig, ErrorKind.CANCELLED);
      s.close(); // still safe afterwards
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anAbandonedStreamIsClosedWhenItsHandleIsCollected(Kind k) throws Exception {
    try (FaultServer server = new FaultServer(stallsAfter(k, 2));
        Rig rig = Rig.builder(k, server.url()).policy(PATIENT).build()) {
      CompletableFuture<?> response = startAndAbandon(rig);
      assertThat(rig.client.dispatcher().runningCallsCount()).as("the stream is still open before GC").isEqualTo(1);
      // Nothing but garbage collection can end this stream: deadlines are minutes away and the
      // caller never reads, so the Cleaner must notice the dropped handle and close it.
      Waits.until(Duration.ofSeconds(30), () -> {
        System.gc();
        return response.isDone();
      }, () -> "the abandoned stream was not closed after GC");
      assertThat(response).isCompletedExceptionally();
      assertCallEnded(rig, ErrorKind.CANCELLED);
    }
  }

  /** Starts a stream, reads its first event, and drops every reference to the handle. */
  private static CompletableFuture<?> startAndAbandon(Rig rig) {
    ChatStream s = rig.switchboard.stream(ChatRequest.of(Rig.ALIAS, "hi"));
    assertThat(s.iterator().next()).isInstanceOf(ChatEvent.TextDelta.class);
    return s.response();
  }
}
