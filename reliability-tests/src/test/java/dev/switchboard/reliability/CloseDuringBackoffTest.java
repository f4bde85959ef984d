package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ChatRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22 item 1 on the wire: blocking callers whose first attempt got {@code 503 Retry-After: 2}
 * wait out the delay on the switchboard's own real-time scheduler. Closing the switchboard must
 * end every one of them at once with CANCELLED. Before the fix the scheduler's shutdown dropped
 * the timer holding their retries and deadlines, and the callers waited for ever.
 */
@Timeout(120)
class CloseDuringBackoffTest {
  private static final int CALLERS = 50;

  @Test
  void closeEndsEveryBlockingCallerWaitingOutARetryAfter() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().code(503).setHeader("Retry-After", "2")
              .setHeader("Content-Type", "application/json")
              .body(new String(Kind.OPENAI.errorBody(503, "overloaded, try again later"), StandardCharsets.UTF_8))
              .build();
        }
      });
      server.start(InetAddress.getLoopbackAddress(), 0);
      CountDownLatch inBackoff = new CountDownLatch(CALLERS);
      Switchboard sb = Switchboard.builder()
          .httpClient(new OkHttpClient.Builder().dns(LoopbackDns.INSTANCE).build())
          .deployment(Kind.OPENAI.deployment("primary", server.url("/").toString().replaceAll("/$", "")))
          .model(ModelAlias.builder(Rig.ALIAS).target("primary", Kind.OPENAI.model).build())
          // Each caller retries after the server's 2 s: no budget or open circuit cuts that short.
          .retryBudget(RetryBudgetPolicy.UNLIMITED)
          .circuitBreaker(CircuitBreakerPolicy.DISABLED)
          .callListenerFactory(call -> new CallListener() {
            @Override
            public void attemptEnd(Attempt attempt) {
              inBackoff.countDown(); // the retry is scheduled in the same step, before anything else of this call
            }
          })
          .build();

      List<Thread> callers = new ArrayList<>();
      List<Throwable> thrown = new CopyOnWriteArrayList<>();
      AtomicInteger answered = new AtomicInteger();
      for (int i = 0; i < CALLERS; i++) {
        String text = "caller " + i;
        Thread t = new Thread(() -> {
          try {
            sb.chat(ChatRequest.of(Rig.ALIAS, text));
            answered.incrementAndGet();
          } catch (Throwable e) {
            thrown.add(e);
          }
        }, "blocking-caller-" + i);
        t.setDaemon(true); // a regression leaves it blocked: it must not keep the test JVM alive
        t.start();
        callers.add(t);
      }
      assertThat(inBackoff.await(60, TimeUnit.SECONDS)).as("every first attempt got its 503").isTrue();
      assertThat(server.getRequestCount()).isEqualTo(CALLERS);

      long closing = System.nanoTime();
      sb.close();
      for (Thread t : callers) {
        t.join(30_000);
        assertThat(t.isAlive()).as("%s still blocked after close()", t.getName()).isFalse();
      }
      long endedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

      assertThat(answered).hasValue(0);
      assertThat(thrown).hasSize(CALLERS).allSatisfy(e -> {
        assertThat(e).isInstanceOf(SwitchboardException.class).hasMessageContaining("switchboard closed");
        SwitchboardException se = (SwitchboardException) e;
        assertThat(se.kind()).isEqualTo(ErrorKind.CANCELLED);
        assertThat(se.attempts()).singleElement()
            .satisfies(a -> assertThat(a.errorKind()).contains(ErrorKind.UNAVAILABLE));
      });
      // Only the first attempts reached the server: the closed calls' retries were never sent.
      assertThat(server.getRequestCount()).isEqualTo(CALLERS);
      System.out.println("CloseDuringBackoffTest: " + CALLERS + " blocking callers ended " + endedMillis
          + " ms after close(); server requests " + server.getRequestCount());
    }
  }
}
