package dev.switchboard.resilience;

import static dev.switchboard.routing.Harness.alias;
import static dev.switchboard.routing.Harness.outcomes;
import static dev.switchboard.routing.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Deployment;
import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.routing.Harness;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.testing.MockProvider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Bulkheads route around full targets; the per-call listener sees every step and cannot break a call. */
class BulkheadAndListenerTest {
  private final Harness h = new Harness();

  @Test
  void aFullTargetIsPassedOverForTheNext() {
    MockProvider a = h.mock().thenHang().otherwiseReply("from a");
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder().deployment(Deployment.builder("a", "mock").bulkhead(BulkheadPolicy.of(1)).build(), a)
        .deployment("b", b).model(alias("chat", "a", "b")).build()) {
      CompletableFuture<ChatResponse> holding = sb.chatAsync(request("chat"));
      ChatResponse second = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(second)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(second.attempts().get(0).note()).contains("at its limit of 1 concurrent calls");
      holding.cancel(true); // frees a's slot
      assertThat(outcomes(h.await(sb.chatAsync(request("chat"))))).containsExactly("a:SUCCEEDED");
    }
  }

  @Test
  void waitingBulkheadQueuesWithoutBlockingAndThenRoutesOn() {
    MockProvider a = h.mock().thenReply("first").thenDelay(Duration.ofSeconds(2)).thenReply("second").thenHang();
    MockProvider b = h.mock().otherwiseReply("from b");
    try (Switchboard sb = h.builder()
        .deployment(Deployment.builder("a", "mock").bulkhead(BulkheadPolicy.waiting(1, Duration.ofSeconds(5))).build(), a)
        .deployment("b", b).model(alias("chat", "a", "b")).build()) {
      CompletableFuture<ChatResponse> first = sb.chatAsync(request("chat"));
      CompletableFuture<ChatResponse> second = sb.chatAsync(request("chat")); // waits for a's slot
      assertThat(second).isNotDone();
      assertThat(h.await(first).text()).isEqualTo("first");
      assertThat(h.await(second).text()).isEqualTo("second");
      // a now holds a hanging call; the next waits 5 s for the slot, then goes to b.
      CompletableFuture<ChatResponse> hanging = sb.chatAsync(request("chat"));
      var start = h.now();
      ChatResponse routed = h.await(sb.chatAsync(request("chat")));
      assertThat(outcomes(routed)).containsExactly("a:SKIPPED", "b:SUCCEEDED");
      assertThat(Duration.between(start, h.now())).isEqualTo(Duration.ofSeconds(5));
      hanging.cancel(true);
    }
  }

  @Test
  void listenerSeesTheWholeCall() {
    List<String> events = new CopyOnWriteArrayList<>();
    CallListener.Factory factory = call -> new CallListener() {
      @Override public void callStart(CallInfo c) { events.add("start " + c.operation() + " " + c.alias()); }
      @Override public void targetChosen(TargetRef t) { events.add("chosen " + t.deployment()); }
      @Override public void targetSkipped(TargetRef t, SkipReason reason, String detail) { events.add("skipped " + t.deployment() + " " + reason); }
      @Override public void attemptStart(TargetRef t, int n, boolean hedge) { events.add("attempt " + n + " " + t.deployment()); }
      @Override public void attemptEnd(Attempt a) { events.add("end " + a.target().deployment() + " " + a.outcome()); }
      @Override public void retryScheduled(TargetRef t, Duration d, ErrorKind k) { events.add("retry " + t.deployment() + " " + k); }
      @Override public void failover(TargetRef from, TargetRef to, ErrorKind k) { events.add("failover " + from.deployment() + "->" + to.deployment()); }
      @Override public void callEnd(CallEnd e) { events.add("callEnd " + e.servedBy().map(TargetRef::deployment).orElse("-") + " " + e.attempts().size()); }
    };
    MockProvider noTools = h.mock().capabilities(new Capabilities(true, true, true, true, true, false));
    MockProvider a = h.mock().thenFail(ErrorKind.UNAVAILABLE, 2);
    MockProvider b = h.mock().otherwiseReply("b");
    try (Switchboard sb = h.builder().deployment("x", noTools).deployment("a", a).deployment("b", b)
        .model(alias("chat", "a", "b")).model(alias("emb", "x", "b")).callListenerFactory(factory).build()) {
      h.await(sb.chatAsync(request("chat")));
      assertThat(events).containsExactly("start chat chat", "chosen a", "attempt 1 a", "end a FAILED", "retry a UNAVAILABLE",
          "chosen a", "attempt 2 a", "end a FAILED", "chosen b", "failover a->b", "attempt 3 b", "end b SUCCEEDED",
          "callEnd b 3");
      events.clear();
      b.thenEmbed(List.of(new float[] {1f, 2f}));
      EmbeddingResponse r = h.await(sb.embedAsync(EmbeddingRequest.of("emb", List.of("text"))));
      assertThat(r.servedBy().deployment()).isEqualTo("b");
      assertThat(outcomes(r.attempts())).containsExactly("x:SKIPPED", "b:SUCCEEDED");
      assertThat(events).containsExactly("start embeddings emb", "skipped x CAPABILITY", "chosen b", "attempt 1 b",
          "end b SUCCEEDED", "callEnd b 2");
    }
  }

  @Test
  void aListenerThatThrowsEverywhereDoesNotBreakTheCall() {
    InvocationHandler boom = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) return method.invoke(this, args);
      throw new IllegalStateException("listener bug in " + method.getName());
    };
    CallListener angry = (CallListener) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CallListener.class}, boom);
    MockProvider a = h.mock().thenFail(ErrorKind.SERVER_ERROR, 2);
    MockProvider b = h.mock().otherwiseReply("fine");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b).model(alias("chat", "a", "b"))
        .callListenerFactory(call -> angry).build()) {
      assertThat(h.await(sb.chatAsync(request("chat"))).text()).isEqualTo("fine");
    }
    try (Switchboard sb = h.builder().deployment("b", MockProvider.create(h.time).otherwiseReply("still fine"))
        .model(alias("chat", "b")).callListenerFactory(call -> { throw new IllegalStateException("factory bug"); }).build()) {
      assertThat(h.await(sb.chatAsync(request("chat"))).text()).isEqualTo("still fine");
    }
  }

  @Test
  void budgetAndHedgeAndCircuitEventsReachTheListener() {
    List<String> events = new CopyOnWriteArrayList<>();
    CallListener.Factory factory = call -> new CallListener() {
      @Override public void hedgeStarted(TargetRef p, TargetRef hedge) { events.add("hedge " + p.deployment() + "->" + hedge.deployment()); }
      @Override public void hedgeWon(TargetRef w, boolean hedge) { events.add("won " + w.deployment() + " " + hedge); }
    };
    MockProvider a = h.mock().latency(Duration.ofSeconds(3)).otherwiseReply("a");
    MockProvider b = h.mock().latency(Duration.ofMillis(10)).otherwiseReply("b");
    try (Switchboard sb = h.builder().deployment("a", a).deployment("b", b)
        .model(alias("chat", RoutingPolicy.builder().hedging(HedgingPolicy.fixed(Duration.ofSeconds(1))).build(), "a", "b"))
        .callListenerFactory(factory).build()) {
      h.await(sb.chatAsync(request("chat")));
      assertThat(events).containsExactly("hedge a->b", "won b true");
    }
  }
}
