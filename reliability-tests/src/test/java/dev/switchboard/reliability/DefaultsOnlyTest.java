package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.VirtualTime;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every failure mode of issue 15 with <b>defaults only</b>: two targets (an OpenAI-compatible
 * primary on a scripted loopback server, a healthy Azure fallback on MockWebServer), no
 * resilience setting beyond the endpoints — except {@code stream-restart: true} where a case says
 * so. Each case asserts the outcome, the requests each <em>server</em> received, and that the call
 * ended within the default 120 s deadline.
 *
 * <p>HTTP is real; the switchboard's clock and timers run on {@link VirtualTime}, moved only while
 * no attempt is on the wire (to the next timer: backoff, cooldown, circuit wait), or — for a silent
 * or stalled server — by exactly the limit that must end the wait. So the 40 s derived
 * first-response limit, the 60 s stream-idle limit and a 60 s outage cost no real time, and a
 * slow build cannot change an outcome.
 */
@ExtendWith(LeakGuard.class)
class DefaultsOnlyTest {
  static final Kind PRIMARY = Kind.OPENAI;
  static final Kind FALLBACK = PRIMARY.secondary();
  /** The defaults this test relies on, spelled out (they are not set anywhere below). */
  static final Duration DEADLINE = Duration.ofSeconds(120);
  static final Duration DERIVED_LIMIT = Duration.ofSeconds(40);
  static final Duration STREAM_IDLE = Duration.ofSeconds(60);
  static final String ANSWER = HealthyServer.text(FALLBACK);
  static final RoutingPolicy RESTART = RoutingPolicy.builder().streamRestart(true).build();

  /** A primary server, a healthy fallback server and a switchboard over both on virtual time. */
  static final class Setup implements AutoCloseable {
    final VirtualTime time = new VirtualTime();
    final FaultServer primary;
    final HealthyServer fallback;
    final Rig rig;
    final CountDownLatch firstText = new CountDownLatch(1);

    Setup(Kind primaryKind, FaultServer.Script script, RoutingPolicy policy) throws IOException {
      primary = new FaultServer(script);
      fallback = new HealthyServer(primaryKind.secondary());
      rig = Rig.builder(primaryKind, primary.url()).secondary(primaryKind.secondary(), fallback.url()).policy(policy).time(time).build();
    }

    /** Waits (bounded) until the servers have counted the requests the client sent, then checks them. */
    void assertRequests(int onPrimary, int onFallback) {
      Waits.until(Duration.ofSeconds(5), () -> primary.served() >= onPrimary && fallback.calls() >= onFallback,
          () -> "servers saw primary " + primary.served() + ", fallback " + fallback.calls());
      assertThat(primary.served()).as("requests the primary server received").isEqualTo(onPrimary);
      assertThat(fallback.calls()).as("requests the fallback server received").isEqualTo(onFallback);
    }

    @Override
    public void close() {
      try {
        rig.assertQuiescent();
      } finally {
        rig.close();
        primary.close();
        fallback.close();
      }
    }
  }

  /** How one call ended. */
  record Outcome(ChatResponse response, SwitchboardException error, List<ChatEvent> events, Duration took) {
    List<String> attempts() {
      List<Attempt> trace = response != null ? response.attempts() : error.attempts();
      return trace.stream().map(a -> a.target().deployment() + ":" + a.outcome()
          + a.errorKind().map(k -> ":" + k).orElse("")).toList();
    }

    ChatResponse answer() {
      assertThat(error).as("the call failed").isNull();
      return response;
    }
  }

  static ChatRequest request() {
    return ChatRequest.builder(Rig.ALIAS).user("Say hello.").build();
  }

  /** One call on defaults; {@code meanwhile} runs after it started (a silent case moves time there). */
  static Outcome call(Setup s, boolean streaming, Consumer<Instant> meanwhile) {
    Instant start = s.time.instant();
    List<ChatEvent> events = new CopyOnWriteArrayList<>();
    ChatStream stream = null;
    CompletableFuture<ChatResponse> f;
    if (streaming) {
      stream = s.rig.switchboard.stream(request());
      stream.listen(e -> {
        events.add(e);
        if (e instanceof ChatEvent.TextDelta) s.firstText.countDown();
      });
      f = stream.response();
    } else {
      f = s.rig.switchboard.chatAsync(request());
    }
    try {
      meanwhile.accept(start);
      drive(s, f, start.plus(DEADLINE));
      Duration took = Duration.between(start, s.time.instant());
      assertThat(took).as("virtual time the call took").isLessThan(DEADLINE);
      try {
        return new Outcome(f.get(), null, List.copyOf(events), took);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        assertThat(cause).isInstanceOf(SwitchboardException.class);
        Secrets.assertNone("error", (SwitchboardException) cause);
        return new Outcome(null, (SwitchboardException) cause, List.copyOf(events), took);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      if (stream != null) stream.close();
    }
  }

  static Outcome call(Setup s, boolean streaming) {
    return call(s, streaming, start -> {});
  }

  /**
   * Runs {@code f} to its end: with defaults the engine waits on a timer with nothing on the wire
   * only before a retry, so whenever one is scheduled (the listener says when it is due) and its
   * timer is armed, time moves exactly there. Everything else is real HTTP; the real-time bound
   * only keeps a broken build from hanging.
   */
  static void drive(Setup s, CompletableFuture<?> f, Instant deadline) {
    long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!f.isDone()) {
      if (System.nanoTime() > bound) {
        throw new AssertionError("call not done: " + s.rig.attemptsInFlight.get() + " attempts in flight, timers " + s.time.pendingDueTimes());
      }
      Instant due = s.rig.retryDue.get();
      if (due != null && due.isBefore(deadline) && s.time.pendingDueTimes().contains(due) && s.rig.retryDue.compareAndSet(due, null)) {
        s.time.advance(Duration.between(s.time.instant(), due));
        continue;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** Waits until the primary holds {@code requests} and a timer is due at {@code due}, then moves time there. */
  static Consumer<Instant> advanceWhenSilent(Setup s, int requests, Duration after) {
    return start -> {
      Instant due = start.plus(after);
      Waits.until(Duration.ofSeconds(10), () -> s.primary.served() == requests && s.time.pendingDueTimes().contains(due),
          () -> "primary served " + s.primary.served() + ", timers " + s.time.pendingDueTimes() + ", expected one at " + due);
      s.time.advance(after);
    };
  }

  static void healthy(FaultServer.Exchange ex, Kind k, String text) throws IOException {
    if (ex.request.bodyText().contains("\"stream\":true")) ex.respond(200, k.streamContentType(), k.stream(text));
    else ex.respond(200, k.chatContentType(), k.chat(text));
  }

  static FaultServer.Script error(int status, String body, String... headers) {
    return ex -> ex.respond(status, "application/json", Kind.utf8(body), headers);
  }

  static String openAiError(String type, String code, String message) {
    return "{\"error\":{\"message\":" + Kind.json(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":\"" + code + "\"}}";
  }

  static void assertFellBack(Outcome o, ErrorKind kind, int primaryAttempts) {
    ChatResponse r = o.answer();
    assertThat(r.text()).isEqualTo(ANSWER);
    assertThat(r.servedBy().deployment()).isEqualTo("secondary");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < primaryAttempts; i++) expected.add("primary:FAILED:" + kind);
    expected.add("secondary:SUCCEEDED");
    assertThat(o.attempts()).containsExactlyElementsOf(expected);
  }

  // ---- no answer at all, slow first token ----------------------------------------------------------

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void aSilentPrimaryIsLeftAfterTheDerivedLimitOnceAndTheFallbackAnswers(boolean streaming) throws IOException {
    try (Setup s = new Setup(PRIMARY, FaultServer.Exchange::stall, RoutingPolicy.DEFAULTS)) {
      Outcome o = call(s, streaming, advanceWhenSilent(s, 1, DERIVED_LIMIT));
      assertFellBack(o, ErrorKind.TIMEOUT, 1);
      assertThat(o.took()).as("a third of the 120 s deadline").isEqualTo(DERIVED_LIMIT);
      s.assertRequests(1, 1); // no second request to the silent target
    }
  }

  @Test
  void aStreamWhoseFirstTokenIsSlowIsLeftAfterTheDerivedLimitAndTheFallbackAnswers() throws IOException {
    // Headers and the role chunk at once, then no token for longer than the limit.
    FaultServer.Script slow = ex -> {
      ex.head(200, PRIMARY.streamContentType(), -1).write(PRIMARY.streamPreamble()).flush();
      ex.stall();
    };
    try (Setup s = new Setup(PRIMARY, slow, RoutingPolicy.DEFAULTS)) {
      Outcome o = call(s, true, advanceWhenSilent(s, 1, DERIVED_LIMIT));
      assertFellBack(o, ErrorKind.TIMEOUT, 1);
      assertThat(o.events()).first().isEqualTo(new ChatEvent.TextDelta("hello"));
      assertThat(o.took()).isEqualTo(DERIVED_LIMIT);
      s.assertRequests(1, 1);
    }
  }

  // ---- errors the fallback answers -----------------------------------------------------------------

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void a500IsRetriedOnceThenTheFallbackAnswers(boolean streaming) throws IOException {
    try (Setup s = new Setup(PRIMARY, error(500, openAiError("server_error", "server_error", "The server had an error.")),
        RoutingPolicy.DEFAULTS)) {
      assertFellBack(call(s, streaming), ErrorKind.SERVER_ERROR, 2);
      s.assertRequests(2, 1);
    }
  }

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void a500OnceIsAnsweredByThePrimaryOnItsRetry(boolean streaming) throws IOException {
    AtomicInteger n = new AtomicInteger();
    FaultServer.Script once = ex -> {
      if (n.getAndIncrement() == 0) error(500, openAiError("server_error", "server_error", "The server had an error.")).serve(ex);
      else healthy(ex, PRIMARY, "from the primary");
    };
    try (Setup s = new Setup(PRIMARY, once, RoutingPolicy.DEFAULTS)) {
      Outcome o = call(s, streaming);
      assertThat(o.answer().text()).isEqualTo("from the primary");
      assertThat(o.attempts()).containsExactly("primary:FAILED:SERVER_ERROR", "primary:SUCCEEDED");
      assertThat(o.took()).as("full-jitter backoff below 100 ms").isLessThan(Duration.ofMillis(100));
      s.assertRequests(2, 0);
    }
  }

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void a503IsRetriedOnceThenTheFallbackAnswers(boolean streaming) throws IOException {
    try (Setup s = new Setup(PRIMARY, error(503, openAiError("server_error", "overloaded", "The server is overloaded.")),
        RoutingPolicy.DEFAULTS)) {
      assertFellBack(call(s, streaming), ErrorKind.UNAVAILABLE, 2);
      s.assertRequests(2, 1);
    }
  }

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void aResetBeforeHeadersIsRetriedOnceThenTheFallbackAnswers(boolean streaming) throws IOException {
    try (Setup s = new Setup(PRIMARY, FaultServer.Exchange::reset, RoutingPolicy.DEFAULTS)) {
      assertFellBack(call(s, streaming), ErrorKind.NETWORK, 2);
      s.assertRequests(2, 1);
    }
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(strings = {"0", "1", "none"})
  void a429FailsOverAtOnceAndThePrimaryCoolsDownForItsRetryAfter(String retryAfter) throws IOException {
    AtomicInteger n = new AtomicInteger();
    String body = openAiError("requests", "rate_limit_exceeded", "Rate limit reached for requests.");
    FaultServer.Script limited = ex -> {
      if (n.getAndIncrement() > 0) healthy(ex, PRIMARY, "from the primary");
      else if (retryAfter.equals("none")) error(429, body).serve(ex);
      else error(429, body, "retry-after", retryAfter).serve(ex);
    };
    try (Setup s = new Setup(PRIMARY, limited, RoutingPolicy.DEFAULTS)) {
      for (boolean streaming : new boolean[] {false, true}) {
        n.set(0);
        Instant start = s.time.instant();
        int before = s.primary.served();
        int fallbackBefore = s.fallback.calls();
        Outcome o = call(s, streaming);
        assertFellBack(o, ErrorKind.RATE_LIMITED, 1);
        assertThat(o.took()).as("no wait before the failover").isZero();
        // While it cools down (Retry-After, at least the 1 s floor) the primary is skipped without a request.
        Outcome during = call(s, streaming);
        assertThat(during.attempts()).containsExactly("primary:SKIPPED", "secondary:SUCCEEDED");
        s.assertRequests(before + 1, fallbackBefore + 2);
        long cooldown = Math.max(1, retryAfter.equals("none") ? 0 : Long.parseLong(retryAfter));
        s.time.advance(Duration.between(s.time.instant(), start.plusSeconds(cooldown)));
        Outcome after = call(s, streaming);
        assertThat(after.answer().text()).isEqualTo("from the primary");
        s.assertRequests(before + 2, fallbackBefore + 2);
      }
    }
  }

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void aContextLengthOverflowFailsOverToTheFallback(boolean streaming) throws IOException {
    String body = openAiError("invalid_request_error", "context_length_exceeded",
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.");
    try (Setup s = new Setup(PRIMARY, error(400, body), RoutingPolicy.DEFAULTS)) {
      assertFellBack(call(s, streaming), ErrorKind.CONTEXT_LENGTH_EXCEEDED, 1);
      s.assertRequests(1, 1);
    }
  }

  // ---- errors that end the call --------------------------------------------------------------------

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void anOpenAiCompatibleContentPolicyRefusalIsContentFilteredWithItsReasonAndNoRetry(boolean streaming) throws IOException {
    String body = openAiError("invalid_request_error", "content_policy_violation",
        "Your request was rejected as a result of our safety system.");
    try (Setup s = new Setup(PRIMARY, error(400, body), RoutingPolicy.DEFAULTS)) {
      Outcome o = call(s, streaming);
      assertThat(o.error()).isNotNull().isNotInstanceOf(StreamInterruptedException.class);
      assertThat(o.error().kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
      assertThat(o.error().providerCode()).contains("content_policy_violation");
      assertThat(o.error().detail()).contains("rejected as a result of our safety system");
      assertThat(o.attempts()).containsExactly("primary:FAILED:CONTENT_FILTERED");
      s.assertRequests(1, 0);
    }
  }

  @Test
  void anAzureContentFilterRefusalIsContentFilteredWithItsCategoriesAndNoRetry() throws IOException {
    String body = "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's content"
        + " management policy.\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,"
        + "\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":"
        + "{\"violence\":{\"filtered\":true,\"severity\":\"high\"}}}}}";
    try (Setup s = new Setup(Kind.AZURE, error(400, body), RoutingPolicy.DEFAULTS)) {
      Outcome o = call(s, false);
      assertThat(o.error().kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
      assertThat(o.error().getMessage()).contains("violence (severity high)");
      assertThat(o.attempts()).containsExactly("primary:FAILED:CONTENT_FILTERED");
      s.assertRequests(1, 0);
    }
  }

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {false, true})
  void a400IsNeitherRetriedNorFailedOver(boolean streaming) throws IOException {
    String body = openAiError("invalid_request_error", "invalid_value", "Invalid value for 'temperature': must be <= 2.");
    try (Setup s = new Setup(PRIMARY, error(400, body), RoutingPolicy.DEFAULTS)) {
      Outcome o = call(s, streaming);
      assertThat(o.error().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
      assertThat(o.attempts()).containsExactly("primary:FAILED:INVALID_REQUEST");
      s.assertRequests(1, 0);
    }
  }

  // ---- streams that break after text -------------------------------------------------------------

  /** Sends the head and "hello", waits until the caller has it, then breaks the stream with {@code fault}. */
  static FaultServer.Script afterText(Setup[] setup, String fault) {
    return ex -> {
      ex.head(200, PRIMARY.streamContentType(), -1).write(PRIMARY.streamPreamble()).write(PRIMARY.streamText("hello")).flush();
      try {
        setup[0].firstText.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      switch (fault) {
        case "reset" -> ex.reset();
        case "cut" -> ex.close(); // FIN without [DONE]
        case "corrupt" -> ex.write(PRIMARY.malformedStreamPiece()).close();
        case "stall" -> ex.stall();
        default -> throw new IllegalArgumentException(fault);
      }
    };
  }

  static Setup streamSetup(String fault, RoutingPolicy policy) throws IOException {
    Setup[] holder = new Setup[1];
    holder[0] = new Setup(PRIMARY, afterText(holder, fault), policy);
    return holder[0];
  }

  @Test
  void aStreamBrokenAfterTextEndsInStreamInterruptedExceptionWithThePartialOutput() throws IOException {
    try (Setup s = streamSetup("reset", RoutingPolicy.DEFAULTS)) {
      Outcome o = call(s, true);
      assertThat(o.error()).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
        assertThat(e.partial().text()).isEqualTo("hello");
      });
      assertThat(o.events()).containsExactly(new ChatEvent.TextDelta("hello"));
      assertThat(o.attempts()).containsExactly("primary:FAILED:NETWORK");
      s.assertRequests(1, 0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"reset", "cut", "corrupt", "stall"})
  void withStreamRestartABrokenStreamEndsInTheFallbacksWholeAnswerAfterAReset(String fault) throws IOException {
    try (Setup s = streamSetup(fault, RESTART)) {
      Consumer<Instant> meanwhile = fault.equals("stall")
          ? start -> {
            // The stall trips the 60 s idle limit, armed when the call committed to the stream. The
            // armed timer is not visible from here (one scheduler timer serves all of a call's), so
            // time moves a second at a time until the restart starts.
            Waits.until(Duration.ofSeconds(10), () -> s.firstText.getCount() == 0 && s.rig.firstEvents.get() == 1,
                () -> "no first event");
            while (s.rig.attemptsStarted.get() == 1 && s.time.instant().isBefore(start.plus(STREAM_IDLE).plusSeconds(2))) {
              s.time.advance(Duration.ofSeconds(1));
              Waits.until(Duration.ofSeconds(10), () -> s.rig.attemptsInFlight.get() == 1, () -> "attempt did not settle");
            }
          }
          : start -> {};
      Outcome o = call(s, true, meanwhile);
      if (fault.equals("stall")) {
        assertThat(o.took()).as("the 60 s stream-idle limit ended the stall").isBetween(STREAM_IDLE, STREAM_IDLE.plusSeconds(1));
      }
      ChatResponse r = o.answer();
      assertThat(r.text()).isEqualTo(ANSWER);
      assertThat(o.events()).hasSizeGreaterThan(2);
      assertThat(o.events().get(0)).isEqualTo(new ChatEvent.TextDelta("hello"));
      assertThat(o.events().get(1)).isInstanceOfSatisfying(ChatEvent.Reset.class,
          reset -> assertThat(reset.target().deployment()).isEqualTo("secondary"));
      String after = o.events().stream().skip(2).filter(ChatEvent.TextDelta.class::isInstance)
          .map(e -> ((ChatEvent.TextDelta) e).text()).reduce("", String::concat);
      assertThat(after).as("the whole answer after the Reset").isEqualTo(ANSWER);
      assertThat(o.attempts()).hasSize(2).last().isEqualTo("secondary:SUCCEEDED");
      s.assertRequests(1, 1);
    }
  }

  // ---- outage, then recovery ------------------------------------------------------------------------

  @Test
  void aPrimaryDownForAMinuteIsUsedAgainWithinTenSecondsOfItsRecovery() throws IOException {
    java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
    String body = openAiError("server_error", "overloaded", "The server is overloaded.");
    FaultServer.Script script = ex -> {
      if (down.get()) error(503, body).serve(ex);
      else healthy(ex, PRIMARY, "from the primary");
    };
    try (Setup s = new Setup(PRIMARY, script, RoutingPolicy.DEFAULTS)) {
      Instant start = s.time.instant();
      Instant recovered = start.plusSeconds(60);
      Instant backOnPrimary = null;
      int tracedOnPrimary = 0;
      int duringOutage = 0;
      // One call a second for 90 s; the primary answers 503 for the first 60 s.
      for (int second = 0; second < 90; second++) {
        s.time.advance(Duration.between(s.time.instant(), start.plusSeconds(second)));
        down.set(second < 60);
        Outcome o = call(s, false);
        ChatResponse r = o.answer();
        tracedOnPrimary += (int) o.attempts().stream().filter(a -> a.startsWith("primary:") && !a.startsWith("primary:SKIPPED")).count();
        if (second < 60) {
          assertThat(r.text()).as("second %d of the outage", second).isEqualTo(ANSWER);
          duringOutage = tracedOnPrimary;
        } else if (r.servedBy().deployment().equals("primary")) {
          if (backOnPrimary == null) backOnPrimary = s.time.instant();
        } else {
          assertThat(backOnPrimary).as("second %d: once back on the primary, calls stay there", second).isNull();
        }
      }
      assertThat(backOnPrimary).as("the primary served again").isNotNull();
      assertThat(Duration.between(recovered, backOnPrimary)).as("time from recovery to the first answer from the primary")
          .isLessThanOrEqualTo(Duration.ofSeconds(10));
      // 5 calls x 2 attempts open the circuit; then one probe per open wait (2, 4, 8, 10, 10... s).
      assertThat(duringOutage).as("requests to the primary during the 60 s outage").isBetween(10, 20);
      int traced = tracedOnPrimary;
      Waits.until(Duration.ofSeconds(5), () -> s.primary.served() >= traced, () -> "primary served " + s.primary.served());
      assertThat(s.primary.served()).as("requests the primary server received = attempts traced on it").isEqualTo(tracedOnPrimary);
      System.out.printf("defaults, primary down 60 s: %d requests to it during the outage, back on it %d ms after it recovered%n",
          duringOutage, Duration.between(recovered, backOnPrimary).toMillis());
    }
  }
}
