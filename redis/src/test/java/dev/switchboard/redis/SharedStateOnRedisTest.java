package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Deployment;
import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.state.SharedTarget;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.VirtualTime;
import dev.switchboard.testkit.Eventually;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several Switchboard instances in one JVM, each with its own connection to one real Redis, as
 * pods of one application would be: a quota shared, a cooldown learned once, Redis killed and
 * restarted under load, and every key with a TTL.
 */
class SharedStateOnRedisTest {
  private static final TargetRef PRIMARY = new TargetRef("primary", "mock", "m");

  private RedisServer redis;
  private final String namespace = "test-" + UUID.randomUUID();
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    if (redis != null) redis.close();
  }

  /** One instance: its own store connection, its own mock targets (the same two deployments). */
  private final class Instance {
    final RedisSharedState state;
    final MockProvider primary = MockProvider.create().otherwiseReply("from the primary");
    final MockProvider fallback = MockProvider.create().otherwiseReply("from the fallback");
    final Switchboard sb;

    Instance(TargetLimits primaryLimits, SimpleMeterRegistry registry) {
      RedisSharedState.Builder b = RedisSharedState.builder().uri(redis.uri()).namespace(namespace)
          .refreshInterval(Duration.ofMillis(100));
      if (registry != null) b.meterRegistry(registry);
      state = b.build();
      Deployment.Builder primaryDeployment = Deployment.builder("primary", "mock");
      if (primaryLimits != null) primaryDeployment.limits(primaryLimits);
      sb = Switchboard.builder()
          .deployment(primaryDeployment.build(), primary).deployment("fallback", fallback)
          .model(ModelAlias.builder("chat").target("primary", "m").target("fallback", "m")
              .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build()).build())
          .sharedState(state)
          .build();
      open.add(state);
      open.add(sb);
      Eventually.await("instance connected to Redis", Duration.ofSeconds(10), state::reachable);
    }

    Instance() {
      this(null, null);
    }

    SharedTarget view() {
      return state.target(PRIMARY, Clock.systemUTC());
    }
  }

  /** Round-robin calls over {@code instances}; each instance's report settles before its next call. */
  private static int servedByPrimary(List<Instance> instances, int rounds) {
    int served = 0;
    for (int round = 0; round < rounds; round++) {
      for (Instance i : instances) {
        ChatResponse r = i.sb.chat(ChatRequest.of("chat", "hi"));
        if (r.servedBy().deployment().equals("primary")) served++;
        // A model call takes far longer than a Redis round trip; a mock answers at once, so let the
        // report land before this instance calls again, as it would in production.
        Eventually.await("report settled", Duration.ofSeconds(10), i.state::settled);
      }
    }
    return served;
  }

  @Test
  void threeInstancesShareOneRequestQuota() {
    List<Instance> instances = List.of(new Instance(TargetLimits.requestsPerMinute(20), null),
        new Instance(TargetLimits.requestsPerMinute(20), null), new Instance(TargetLimits.requestsPerMinute(20), null));
    int served = servedByPrimary(instances, 30);
    int sentToPrimary = instances.stream().mapToInt(i -> i.primary.callCount()).sum();
    assertThat(sentToPrimary).isEqualTo(served);
    // Without the store each instance admits 20 (60 in all; see the test below). An instance's view is
    // as fresh as its last answer from Redis, so when the limit is crossed each of the others may
    // admit one more: at most N - 1 over.
    assertThat(sentToPrimary).as("requests the primary received, 3 instances sharing 20 rpm").isBetween(20, 22);
    System.out.println("shared quota, 3 instances, 20 rpm: primary received " + sentToPrimary);
  }

  @Test
  void withoutTheStoreEachInstanceCountsOnItsOwn() {
    List<MockProvider> primaries = new ArrayList<>();
    int served = 0;
    List<Switchboard> sbs = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      MockProvider primary = MockProvider.create().otherwiseReply("p");
      primaries.add(primary);
      Switchboard sb = Switchboard.builder()
          .deployment(Deployment.builder("primary", "mock").limits(TargetLimits.requestsPerMinute(20)).build(), primary)
          .deployment("fallback", MockProvider.create().otherwiseReply("f"))
          .model(ModelAlias.builder("chat").target("primary", "m").target("fallback", "m").build()).build();
      open.add(sb);
      sbs.add(sb);
    }
    for (int round = 0; round < 30; round++) {
      for (Switchboard sb : sbs) {
        if (sb.chat(ChatRequest.of("chat", "hi")).servedBy().deployment().equals("primary")) served++;
      }
    }
    assertThat(served).isEqualTo(60);
  }

  @Test
  void aCooldownLearnedByOneInstanceSkipsTheTargetInTheOthersWithoutARequest() {
    Instance a = new Instance();
    Instance b = new Instance();
    a.primary.thenFail(MockProvider.rateLimited(Duration.ofSeconds(30)));
    assertThat(a.sb.chat(ChatRequest.of("chat", "hi")).servedBy().deployment()).isEqualTo("fallback");
    long learned = System.nanoTime();
    Eventually.await("B sees A's cooldown", Duration.ofSeconds(10), () -> b.view().cooldownUntil() > System.currentTimeMillis());
    long propagationMicros = (System.nanoTime() - learned) / 1_000;
    ChatResponse r = b.sb.chat(ChatRequest.of("chat", "hi"));
    assertThat(r.servedBy().deployment()).isEqualTo("fallback");
    assertThat(b.primary.callCount()).as("requests B sent to the cooling primary").isZero();
    assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
    System.out.println("cooldown propagation: " + propagationMicros + " us (refresh interval 100 ms)");
  }

  @Test
  void redisKilledMidRunThenRestarted() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Instance a = new Instance(TargetLimits.requestsPerMinute(1_000), registry);
    Instance b = new Instance();
    for (int n = 0; n < 5; n++) assertThat(a.sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("from the primary");
    a.primary.thenFail(MockProvider.rateLimited(Duration.ofSeconds(60)));
    assertThat(a.sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("from the fallback");

    redis.kill();
    Eventually.await("A notices Redis is gone", Duration.ofSeconds(10), () -> !a.state.reachable());
    for (int n = 0; n < 20; n++) { // calls go on, on local state: no exception, no hang
      assertThat(a.sb.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("from the fallback"); // A's own cooldown holds
    }
    assertThat(registry.get("switchboard.shared_state.up").gauge().value()).isZero();
    assertThat(registry.get("switchboard.shared_state.errors").counter().count()).isPositive();
    assertThat(a.view().requestsInLastMinute(System.currentTimeMillis())).as("unknown while unreachable").isEqualTo(-1);

    redis.restart(); // empty: no persistence
    Eventually.await("A reconnects", Duration.ofSeconds(20), a.state::reachable);
    Eventually.await("B reconnects", Duration.ofSeconds(20), b.state::reachable);
    // A wrote its live cooldown again; B, which never saw it before, learns it from the new Redis.
    Eventually.await("B sees A's re-synced cooldown", Duration.ofSeconds(10),
        () -> b.view().cooldownUntil() > System.currentTimeMillis());
    assertThat(b.sb.chat(ChatRequest.of("chat", "hi")).servedBy().deployment()).isEqualTo("fallback");
    assertThat(b.primary.callCount()).isZero();
  }

  @Test
  void aRecoverySeenByOneInstanceLetsAnotherProbeAtOnceButFailuresElsewhereNeverOpenACircuit() {
    VirtualTime time = new VirtualTime(java.time.Instant.now());
    CircuitBreakerPolicy quick = CircuitBreakerPolicy.builder().consecutiveFailures(2).waitInOpen(Duration.ofSeconds(5)).build();
    CircuitBreakerPolicy slow = CircuitBreakerPolicy.builder().consecutiveFailures(2).waitInOpen(Duration.ofMinutes(10)).build();
    RedisSharedState stateA = RedisSharedState.builder().uri(redis.uri()).namespace(namespace).refreshInterval(Duration.ofMillis(100)).build();
    RedisSharedState stateB = RedisSharedState.builder().uri(redis.uri()).namespace(namespace).refreshInterval(Duration.ofMillis(100)).build();
    RedisSharedState stateC = RedisSharedState.builder().uri(redis.uri()).namespace(namespace).refreshInterval(Duration.ofMillis(100)).build();
    open.add(stateA);
    open.add(stateB);
    open.add(stateC);
    MockProvider primaryA = MockProvider.create().otherwiseReply("from the primary");
    MockProvider primaryB = MockProvider.create().otherwiseReply("from the primary");
    MockProvider primaryC = MockProvider.create().otherwiseReply("from the primary");
    Switchboard a = breakerInstance(primaryA, quick, stateA, time);
    Switchboard b = breakerInstance(primaryB, slow, stateB, null);
    Switchboard c = breakerInstance(primaryC, slow, stateC, null);
    for (RedisSharedState st : List.of(stateA, stateB, stateC)) Eventually.await("connected", Duration.ofSeconds(10), st::reachable);

    // The primary fails for A and B: both circuits open, each on its own failures.
    primaryA.thenFail(dev.switchboard.ErrorKind.SERVER_ERROR, 2);
    primaryB.thenFail(dev.switchboard.ErrorKind.SERVER_ERROR, 2);
    for (int n = 0; n < 2; n++) {
      a.chat(ChatRequest.of("chat", "hi"));
      b.chat(ChatRequest.of("chat", "hi"));
    }
    assertThat(a.chat(ChatRequest.of("chat", "hi")).servedBy().deployment()).isEqualTo("fallback");
    assertThat(b.chat(ChatRequest.of("chat", "hi")).servedBy().deployment()).isEqualTo("fallback");
    // C saw none of it: other instances' failures never open its circuit.
    assertThat(c.chat(ChatRequest.of("chat", "hi")).servedBy().deployment()).isEqualTo("primary");

    // A's open interval passes (virtual time); its probe succeeds and its circuit closes.
    time.advance(Duration.ofSeconds(6));
    assertThat(a.chat(ChatRequest.of("chat", "hi")).servedBy().deployment()).isEqualTo("primary");
    // B would skip the primary for 10 minutes; A's recovery hint lets it probe now.
    Eventually.await("B hears of A's recovery", Duration.ofSeconds(10),
        () -> stateB.target(PRIMARY, Clock.systemUTC()).recoveredAt() > Long.MIN_VALUE);
    int before = primaryB.callCount();
    assertThat(b.chat(ChatRequest.of("chat", "hi")).servedBy().deployment()).isEqualTo("primary");
    assertThat(primaryB.callCount()).isEqualTo(before + 1);
  }

  private Switchboard breakerInstance(MockProvider primary, CircuitBreakerPolicy policy, RedisSharedState state, VirtualTime time) {
    Switchboard.Builder builder = Switchboard.builder()
        .deployment(Deployment.builder("primary", "mock").circuitBreaker(policy).build(), primary)
        .deployment("fallback", MockProvider.create().otherwiseReply("from the fallback"))
        .model(ModelAlias.builder("chat").target("primary", "m").target("fallback", "m")
            .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build()).build())
        .sharedState(state);
    if (time != null) builder.time(time, time);
    Switchboard sb = builder.build();
    open.add(sb);
    return sb;
  }

  @Test
  void everyKeyExpires() {
    Instance a = new Instance(TargetLimits.of(100, 100_000), null);
    for (int n = 0; n < 3; n++) a.sb.chat(ChatRequest.of("chat", "hi"));
    a.primary.thenFail(MockProvider.rateLimited(Duration.ofSeconds(5)));
    a.sb.chat(ChatRequest.of("chat", "hi"));
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      Eventually.await("cooldown written", Duration.ofSeconds(10),
          () -> !c.sync().keys("switchboard:{" + namespace + ":primary/m}:cool").isEmpty());
      List<String> keys = c.sync().scan(ScanArgs.Builder.matches("switchboard:{" + namespace + "*").limit(1_000)).getKeys();
      assertThat(keys).hasSizeGreaterThanOrEqualTo(3); // requests, tokens, cooldown
      for (String k : keys) assertThat(c.sync().pttl(k)).as("TTL of %s", k).isPositive();
    } finally {
      client.shutdown();
    }
  }
}
