package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Target;
import dev.switchboard.internal.SystemScheduler;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.RoutingStrategy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import dev.switchboard.testkit.logging.RecordingLogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 200 calls at once (chat and streams, plain and hedged) over three mock targets that fail at
 * random, answer late, or hang: every call ends with an answer or a typed error within its
 * deadline, and nothing Switchboard started is left running afterwards. Real time here: the
 * point is real threads racing.
 */
class ConcurrencyTest {
  private static final String[] KINDS_TO_FAIL = {"UNAVAILABLE", "SERVER_ERROR", "RATE_LIMITED", "NETWORK", "TIMEOUT",
      "AUTHENTICATION", "PROTOCOL", "INVALID_REQUEST"};

  @AfterEach
  void dropRecordedLogs() {
    RecordingLogs.clear();
  }

  @org.junit.jupiter.api.RepeatedTest(3)
  void twoHundredParallelCallsAllEndAndLeaveNoThreads() throws Exception {
    warmUp(); // JVM-wide singletons (the stream Cleaner's thread) start once, before the snapshot
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    Random random = new Random(2024);
    SystemScheduler mockTime = new SystemScheduler();
    Map<String, MockProvider> mocks = new ConcurrentHashMap<>();
    Switchboard.Builder builder = Switchboard.builder().random(new Random(7))
        .routing(RoutingPolicy.builder().retry(RetryPolicy.builder().initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(5)).maxRetryAfter(Duration.ofMillis(20)).build())
            .timeouts(Timeouts.builder().call(Duration.ofSeconds(2)).streamIdle(Duration.ofSeconds(1)).build()).build())
        .cooldown(new CooldownPolicy(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMillis(50)));
    ModelAlias.Builder plain = ModelAlias.builder("plain");
    ModelAlias.Builder hedged = ModelAlias.builder("hedged").routing(RoutingPolicy.builder().strategy(RoutingStrategy.weighted())
        .hedging(HedgingPolicy.fixed(Duration.ofMillis(5))).streamRestart(true)
        // After a stream's first event the idle limit, not the deadline, bounds it (a restart too).
        .timeouts(Timeouts.builder().streamIdle(Duration.ofSeconds(1)).build()).build());
    for (String name : List.of("a", "b", "c")) {
      MockProvider m = script(MockProvider.create(mockTime), random);
      mocks.put(name, m);
      builder.deployment(name, m);
      plain.target(name, "m-" + name);
      hedged.target(Target.of(name, "m-" + name).withWeight(1 + random.nextInt(3)));
    }
    Switchboard sb = builder.model(plain.build()).model(hedged.build()).build();

    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    List<ChatStream> streams = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String alias = i % 2 == 0 ? "plain" : "hedged";
      if (i % 4 < 2) {
        calls.add(sb.chatAsync(ChatRequest.of(alias, "call " + i)));
      } else {
        ChatStream s = sb.stream(ChatRequest.of(alias, "stream " + i));
        s.listen(new ChatStreamListener() {
          @Override
          public void onEvent(ChatEvent event) {}
        });
        streams.add(s);
        calls.add(s.response());
      }
    }
    // Bounded wait: every call has a 2 s deadline, so all must be over well within 30 s.
    try {
      CompletableFuture.allOf(calls.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      StringBuilder hung = new StringBuilder("calls still running after 30 s:");
      for (int i = 0; i < calls.size(); i++) {
        if (!calls.get(i).isDone()) hung.append(' ').append(i).append(i % 4 < 2 ? "/chat/" : "/stream/").append(i % 2 == 0 ? "plain" : "hedged");
      }
      throw new AssertionError(hung.toString(), e);
    }
    int answered = 0;
    long tracedCalls = 0;
    for (CompletableFuture<ChatResponse> f : calls) {
      assertThat(f).isDone();
      List<dev.switchboard.Attempt> trace;
      try {
        ChatResponse r = f.join();
        trace = r.attempts();
        answered++;
      } catch (java.util.concurrent.CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(SwitchboardException.class);
        trace = ((SwitchboardException) e.getCause()).attempts();
      }
      assertThat(trace).isNotEmpty();
      tracedCalls += trace.stream().filter(a -> a.outcome() != dev.switchboard.Attempt.Outcome.SKIPPED).count();
    }
    // Which call meets which scripted step depends on how the threads interleave, so the count
    // varies from run to run (about half answer; 99 was seen under load). Retries and failover
    // are tested exactly elsewhere; here a collapse of answers is what must not pass.
    assertThat(answered).isGreaterThan(70);
    streams.forEach(ChatStream::close);
    sb.close();
    mockTime.close();

    // The mock's stream workers are a shared daemon pool of the test fixture, not Switchboard's.
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && !t.getName().startsWith("switchboard-mock-stream")).toList();
    for (Thread t : started) t.join(5_000);
    assertThat(started.stream().filter(Thread::isAlive).map(Thread::getName)).isEmpty();
    // Every provider call made appears in exactly one call's trace: no attempt is invisible.
    assertThat(mocks.values().stream().mapToInt(MockProvider::callCount).sum()).isEqualTo(tracedCalls);
  }

  private static void warmUp() {
    MockProvider m = MockProvider.create().thenStream(StreamScript.text("warm"));
    try (Switchboard sb = Switchboard.builder().deployment("w", m).model(ModelAlias.builder("w").target("w", "m").build()).build();
        ChatStream s = sb.stream(ChatRequest.of("w", "hi"))) {
      s.forEach(e -> { });
    }
  }

  /** A random mix of answers, streams, failures, slow answers and a few hangs, then plain answers. */
  private static MockProvider script(MockProvider m, Random random) {
    for (int i = 0; i < 150; i++) {
      int roll = random.nextInt(100);
      if (roll < 40) {
        m.thenReply("ok " + i);
      } else if (roll < 60) {
        m.thenStream(StreamScript.builder().text("part ").delay(Duration.ofMillis(random.nextInt(5))).text("two").build());
      } else if (roll < 65) {
        m.thenStream(StreamScript.builder().text("broken ").fail(ErrorKind.NETWORK));
      } else if (roll < 68) {
        m.thenHang();
      } else {
        m.thenFail(ErrorKind.valueOf(KINDS_TO_FAIL[random.nextInt(KINDS_TO_FAIL.length)]));
      }
      if (random.nextBoolean()) m.thenDelay(Duration.ofMillis(random.nextInt(15)));
    }
    return m.otherwiseReply("fallback");
  }
}
