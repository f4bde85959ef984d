package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import dev.switchboard.testing.VirtualTime;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Switchboard#close()} ends every running call with CANCELLED (issue 22 item 1): calls
 * waiting out a retry delay, calls on the wire, and streams, blocking or not. Before the fix the
 * calls in backoff were stranded: the timer holding their retry and deadline was never run.
 */
@Timeout(20) // a regression is a caller blocked for good: fail instead
class CloseEndsCallsTest {
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private final VirtualTime time = new VirtualTime();
  private final MockProvider mock = MockProvider.create(time);
  private final ConcurrentLinkedQueue<CallListener.CallEnd> ends = new ConcurrentLinkedQueue<>();
  private CountDownLatch firstAttemptsFailed;

  private Switchboard switchboard() {
    return Switchboard.builder().time(time, time)
        .deployment("east", mock)
        .model(ModelAlias.builder("chat").target("east", "m").build())
        // Every call waits out its Retry-After: no budget or circuit cuts a retry short.
        .retryBudget(RetryBudgetPolicy.UNLIMITED)
        .circuitBreaker(CircuitBreakerPolicy.DISABLED)
        .callListenerFactory(call -> new CallListener() {
          @Override
          public void attemptEnd(Attempt attempt) {
            firstAttemptsFailed.countDown();
          }

          @Override
          public void callEnd(CallEnd end) {
            ends.add(end);
          }
        })
        .build();
  }

  private static SwitchboardException unavailableRetryAfter() {
    return MockProvider.error(ErrorKind.UNAVAILABLE).toBuilder().retryAfter(RETRY_AFTER).build();
  }

  private static void assertClosedCancel(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(e).isInstanceOf(SwitchboardException.class).hasMessageContaining("switchboard closed");
    assertThat(((SwitchboardException) e).kind()).isEqualTo(ErrorKind.CANCELLED);
  }

  @Test
  void closeEndsBlockingAsyncAndStreamedCallsWaitingOutARetryDelay() throws Exception {
    int async = 40;
    int blocking = 20;
    int streams = 10;
    int calls = async + blocking + streams;
    for (int i = 0; i < calls; i++) mock.thenFail(unavailableRetryAfter()); // a stream's first attempt fails too
    firstAttemptsFailed = new CountDownLatch(calls);
    Switchboard sb = switchboard();

    List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
    for (int i = 0; i < async; i++) futures.add(sb.chatAsync(ChatRequest.of("chat", "async " + i)));
    List<AtomicInteger> errors = new ArrayList<>();
    List<AtomicInteger> completions = new ArrayList<>();
    List<AtomicReference<SwitchboardException>> lastError = new ArrayList<>();
    CountDownLatch streamErrors = new CountDownLatch(streams);
    // Held until the end: a dropped handle may be closed by the GC's cleaner as abandoned, which
    // would end its stream "closed by the caller" before close() gets to it.
    List<ChatStream> handles = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      AtomicInteger err = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      AtomicReference<SwitchboardException> last = new AtomicReference<>();
      errors.add(err);
      completions.add(done);
      lastError.add(last);
      ChatStream handle = sb.stream(ChatRequest.of("chat", "stream " + i));
      handles.add(handle);
      handle.listen(new ChatStreamListener() {
        @Override
        public void onEvent(ChatEvent event) {}

        @Override
        public void onComplete(ChatResponse response) {
          done.incrementAndGet();
        }

        @Override
        public void onError(SwitchboardException error) {
          last.set(error);
          err.incrementAndGet();
          streamErrors.countDown();
        }
      });
    }
    List<Thread> threads = new ArrayList<>();
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    for (int i = 0; i < blocking; i++) {
      String text = "blocking " + i;
      Thread t = new Thread(() -> {
        try {
          sb.chat(ChatRequest.of("chat", text));
          answered.incrementAndGet();
        } catch (Throwable e) {
          thrown.add(e);
        }
      }, "caller-" + i);
      t.setDaemon(true); // a regression leaves it blocked: it must not keep the test JVM alive
      t.start();
      threads.add(t);
    }
    // Every call has failed its first attempt and waits 2 s (virtual) for its retry.
    assertThat(firstAttemptsFailed.await(30, TimeUnit.SECONDS)).as("first attempts failed").isTrue();
    assertThat(futures).noneMatch(CompletableFuture::isDone);
    assertThat(mock.callCount()).isEqualTo(calls);

    sb.close();

    // No time passes: the calls end because the switchboard closed, not because a timer ran.
    for (CompletableFuture<ChatResponse> f : futures) {
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::join).satisfies(CloseEndsCallsTest::assertClosedCancel);
    }
    for (Thread t : threads) {
      t.join(20_000);
      assertThat(t.isAlive()).as("%s still waiting after close()", t.getName()).isFalse();
    }
    assertThat(answered).hasValue(0);
    assertThat(thrown).hasSize(blocking).allSatisfy(CloseEndsCallsTest::assertClosedCancel);
    assertThat(streamErrors.await(20, TimeUnit.SECONDS)).as("every stream listener got onError").isTrue();
    for (int i = 0; i < streams; i++) {
      assertClosedCancel(lastError.get(i).get());
      assertThat(errors.get(i)).as("onError calls of stream %d", i).hasValue(1);
      assertThat(completions.get(i)).hasValue(0);
    }
    assertThat(ends).hasSize(calls).allSatisfy(end -> assertClosedCancel(end.error().orElseThrow()));
    // The cancelled retries are gone, not just late: time passing sends nothing more.
    time.advance(Duration.ofSeconds(10));
    assertThat(mock.callCount()).isEqualTo(calls);
    assertThat(ends).hasSize(calls);
    Reference.reachabilityFence(handles);
  }

  @Test
  void closeCancelsAnAttemptOnTheWireAndTheErrorListsIt() {
    mock.thenHang();
    firstAttemptsFailed = new CountDownLatch(1);
    Switchboard sb = switchboard();
    CompletableFuture<ChatResponse> f = sb.chatAsync(ChatRequest.of("chat", "hi"));
    assertThat(f).isNotDone();

    sb.close();

    assertThat(f).isCompletedExceptionally(); // before join(), which no timeout could interrupt
    assertThatThrownBy(f::join).satisfies(CloseEndsCallsTest::assertClosedCancel);
    SwitchboardException e = (SwitchboardException) f.handle((r, t) -> t instanceof CompletionException ? t.getCause() : t).join();
    assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(Attempt.Outcome.CANCELLED));
    assertThat(mock.cancellations()).isEqualTo(1);
  }

  @Test
  void aStreamThatAlreadyDeliveredEventsEndsInterruptedWithItsPartialOutput() throws Exception {
    mock.thenStream(StreamScript.builder().text("Hel").hang());
    firstAttemptsFailed = new CountDownLatch(1);
    Switchboard sb = switchboard();
    CountDownLatch firstEvent = new CountDownLatch(1);
    AtomicReference<SwitchboardException> error = new AtomicReference<>();
    AtomicInteger onErrors = new AtomicInteger();
    CountDownLatch ended = new CountDownLatch(1);
    ChatStream handle = sb.stream(ChatRequest.of("chat", "hi")); // held: see the fence at the end
    handle.listen(new ChatStreamListener() {
      @Override
      public void onEvent(ChatEvent event) {
        firstEvent.countDown();
      }

      @Override
      public void onError(SwitchboardException e) {
        error.set(e);
        onErrors.incrementAndGet();
        ended.countDown();
      }
    });
    assertThat(firstEvent.await(20, TimeUnit.SECONDS)).isTrue();

    sb.close();

    assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(onErrors).hasValue(1);
    assertClosedCancel(error.get());
    assertThat(error.get()).isInstanceOfSatisfying(StreamInterruptedException.class,
        s -> assertThat(s.partial().text()).isEqualTo("Hel"));
    Reference.reachabilityFence(handle);
  }

  @Test
  void aCloseRacingCallsThatAreStartingEndsEveryOneOfThem() throws Exception {
    int threads = 4;
    int perThread = 300;
    for (int i = 0; i < threads * perThread; i++) mock.thenHang();
    firstAttemptsFailed = new CountDownLatch(0);
    Switchboard sb = switchboard();
    List<CompletableFuture<ChatResponse>> started = new CopyOnWriteArrayList<>();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> starters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          try {
            started.add(sb.chatAsync(ChatRequest.of("chat", "hi")));
          } catch (IllegalStateException closed) {
            refused.incrementAndGet();
          }
        }
      });
      thread.start();
      starters.add(thread);
    }
    go.countDown();
    while (started.size() < 50) Thread.onSpinWait(); // close while the others are still starting calls

    sb.close();

    for (Thread thread : starters) thread.join();
    assertThat(started.size() + refused.get()).isEqualTo(threads * perThread);
    for (CompletableFuture<ChatResponse> f : started) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class) // not a timeout: stranded
          .satisfies(e -> assertClosedCancel(e.getCause()));
    }
    // The listener's callEnd follows the future's completion on the call's thread: wait for the event, bounded.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ends.size() < started.size() && System.nanoTime() < until) Thread.onSpinWait();
    assertThat(ends).hasSize(started.size());
  }

  @Test
  void aCallAfterCloseIsRefused() {
    firstAttemptsFailed = new CountDownLatch(0);
    Switchboard sb = switchboard();
    sb.close();
    assertThatThrownBy(() -> sb.chat(ChatRequest.of("chat", "hi"))).isInstanceOf(IllegalStateException.class)
        .hasMessage("Switchboard is closed");
    assertThatThrownBy(() -> sb.chatAsync(ChatRequest.of("chat", "hi"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sb.stream(ChatRequest.of("chat", "hi"))).isInstanceOf(IllegalStateException.class);
    assertThat(mock.callCount()).isZero();
  }
}
