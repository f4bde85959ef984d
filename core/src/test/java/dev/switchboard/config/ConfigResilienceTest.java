package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.FailoverPolicy;
import dev.switchboard.resilience.HedgingPolicy;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.resilience.Timeouts;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.testing.VirtualTime;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The {@code resilience} sections and {@code models.<alias>.strategy}: each mapping, and each class of mistake. */
class ConfigResilienceTest {

  private static Switchboard.Builder load(String yaml) {
    return ConfigLoader.withEnvironment(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> problems(String yaml) {
    try {
      load(yaml).build().close();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected a ConfigException");
  }

  // ---- each section maps every field onto its policy ----

  @Test
  void retryMapsEveryFieldAndReadsVariables() {
    ConfigNode.Context context = new ConfigNode.Context(Map.of("RETRIES", "3")::get);
    ConfigNode n = new ConfigNode(yaml("""
        {max-retries: "${RETRIES}", initial-backoff: 50ms, max-backoff: 1s, multiplier: 3, max-retry-after: 5s,
         retry-on: [unavailable, SERVER_ERROR]}"""), "resilience.retry", context);
    RetryPolicy p = ResilienceSection.retry(n, RetryPolicy.DEFAULTS);
    assertThat(context.problems).isEmpty();
    assertThat(p).isEqualTo(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(1), 3.0, Duration.ofSeconds(5),
        Set.of(ErrorKind.UNAVAILABLE, ErrorKind.SERVER_ERROR), Duration.ZERO));
    RetryPolicy more = ResilienceSection.retry(new ConfigNode(yaml("{max-retry-after: deadline, min-backoff: 20ms}"), "r", context),
        RetryPolicy.DEFAULTS);
    assertThat(more.maxRetryAfter()).isEqualTo(RetryPolicy.UNTIL_DEADLINE);
    assertThat(more.minBackoff()).isEqualTo(Duration.ofMillis(20));
    RetryPolicy fixed = ResilienceSection.retry(new ConfigNode(yaml("{fixed-backoff: 300ms}"), "r", context), RetryPolicy.DEFAULTS);
    assertThat(fixed.jitteredBackoffNanos(3, Long.MAX_VALUE, new java.util.Random(1))).isEqualTo(300_000_000L);
    assertThat(context.problems).isEmpty();
  }

  @Test
  void anAliasSectionChangesOnlyTheFieldsItNames() {
    RetryPolicy base = RetryPolicy.builder().maxRetries(4).initialBackoff(Duration.ofMillis(10)).build();
    ConfigNode.Context context = new ConfigNode.Context(k -> null);
    RetryPolicy p = ResilienceSection.retry(new ConfigNode(yaml("{max-retries: 0}"), "x", context), base);
    assertThat(p).isEqualTo(base.toBuilder().maxRetries(0).build());
  }

  @Test
  void failoverTimeoutsHedgingCircuitBreakerBulkheadAndLimitsMap() {
    ConfigNode.Context c = new ConfigNode.Context(k -> null);
    assertThat(ResilienceSection.failover(new ConfigNode(yaml(
        "{failover-on: [network, timeout], content-filtered: true, on-content-filter-finish: yes}"), "f", c), FailoverPolicy.DEFAULTS))
        .isEqualTo(new FailoverPolicy(Set.of(ErrorKind.NETWORK, ErrorKind.TIMEOUT, ErrorKind.CONTENT_FILTERED), true));
    assertThat(ResilienceSection.timeouts(new ConfigNode(yaml("{call: 30s, attempt: 10s, first-event: 2s, stream-idle: 1m, stream-total: 5m}"),
        "t", c), Timeouts.DEFAULTS)).isEqualTo(new Timeouts(Optional.of(Duration.ofSeconds(30)), Optional.of(Duration.ofSeconds(10)),
        Optional.of(Duration.ofSeconds(2)), Duration.ofMinutes(1), Optional.of(Duration.ofMinutes(5))));
    assertThat(ResilienceSection.hedging(new ConfigNode(yaml("{mode: p95, delay: 800ms, max-hedges: 2}"), "h", c), HedgingPolicy.DISABLED))
        .isEqualTo(new HedgingPolicy(true, HedgingPolicy.Mode.P95, Duration.ofMillis(800), 2));
    assertThat(ResilienceSection.hedging(new ConfigNode(yaml("{enabled: false}"), "h", c), HedgingPolicy.DISABLED).enabled()).isFalse();
    assertThat(ResilienceSection.circuitBreaker(new ConfigNode(yaml("""
        {enabled: true, failure-rate-threshold: 25.5, window-type: time, sliding-window-size: 30, minimum-calls: 4,
         wait-in-open: 5s, wait-multiplier: 3, max-wait-in-open: 1m, permitted-calls-in-half-open: 2}"""), "cb", c),
        CircuitBreakerPolicy.DEFAULTS))
        .isEqualTo(new CircuitBreakerPolicy(true, 25.5f, CircuitBreakerPolicy.WindowType.TIME, 30, 4, Duration.ofSeconds(5), 3.0,
            Duration.ofMinutes(1), 2, 0));
    assertThat(ResilienceSection.circuitBreaker(new ConfigNode(yaml("{consecutive-failures: 3}"), "cb", c),
        CircuitBreakerPolicy.DEFAULTS).consecutiveFailures()).isEqualTo(3);
    assertThat(ResilienceSection.bulkhead(new ConfigNode(yaml("{max-concurrent-calls: 8, when-full: wait, max-wait: 250ms}"), "b", c),
        BulkheadPolicy.UNLIMITED)).isEqualTo(BulkheadPolicy.waiting(8, Duration.ofMillis(250)));
    assertThat(ResilienceSection.limits(new ConfigNode(yaml("{requests-per-minute: 600}"), "l", c)))
        .isEqualTo(new TargetLimits(OptionalLong.of(600), OptionalLong.empty()));
    assertThat(c.problems).isEmpty();
  }

  @Test
  void everyStrategyNameBuilds() {
    for (String s : List.of("priority", "weighted", "round-robin", "least-latency", "{type: least-latency, exploration: 0.2}",
        "least-in-flight", "lowest-cost", "{type: lowest-cost, assumed-output-tokens: 200}", "quota-aware",
        "{type: region-affinity, region: eastus}", "{type: region-affinity, region: eastus, then: round-robin}")) {
      ConfigNode.Context c = new ConfigNode.Context(k -> null);
      assertThat(StrategySection.strategy(new ConfigNode(yaml(s), "models.chat.strategy", c))).as(s).isPresent();
      assertThat(c.problems).as(s).isEmpty();
    }
  }

  // ---- end to end: the file changes how calls run ----

  @Test
  void aConfiguredStrategyRoutesTheAlias() {
    String yaml = """
        deployments:
          a: {type: mock, reply: from-a}
          b: {type: mock, reply: from-b}
        models:
          chat:
            strategy: round-robin
            targets: [{deployment: a, model: x}, {deployment: b, model: y}]
        """;
    try (Switchboard sb = load(yaml).build()) {
      List<String> served = new ArrayList<>();
      for (int i = 0; i < 4; i++) served.add(sb.chat(ChatRequest.of("chat", "hi")).text());
      assertThat(served).containsOnly("from-a", "from-b").contains("from-a", "from-b");
      assertThat(served.get(0)).isNotEqualTo(served.get(1));
    }
  }

  @Test
  void topLevelRetryAndFailoverApplyAndAnAliasOverridesThem() {
    String yaml = """
        deployments:
          down: {type: mock, fail: unavailable}
          up: {type: mock, reply: ok}
        models:
          strict:
            targets: [{deployment: down, model: x}, {deployment: up, model: y}]
          lenient:
            targets: [{deployment: down, model: x}, {deployment: up, model: y}]
            resilience:
              failover: {failover-on: [unavailable]}
        resilience:
          retry: {max-retries: 2, initial-backoff: 1ms, max-backoff: 1ms}
          failover: {failover-on: []}
          circuit-breaker: {enabled: false}
        """;
    try (Switchboard sb = load(yaml).build()) {
      try {
        sb.chat(ChatRequest.of("strict", "hi"));
        throw new AssertionError("expected a failure");
      } catch (SwitchboardException e) {
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.attempts()).hasSize(3).allMatch(a -> a.target().deployment().equals("down"));
      }
      ChatResponse r = sb.chat(ChatRequest.of("lenient", "hi"));
      assertThat(r.text()).isEqualTo("ok");
      // The alias kept the top-level retry (3 attempts on 'down') and changed only failover.
      assertThat(r.attempts()).extracting(a -> a.target().deployment()).containsExactly("down", "down", "down", "up");
    }
  }

  @Test
  void aDeploymentCircuitBreakerOpensAfterItsWindow() {
    String yaml = """
        deployments:
          down:
            type: mock
            fail: unavailable
            circuit-breaker: {sliding-window-size: 2, minimum-calls: 2, wait-in-open: 1h}
          up: {type: mock, reply: ok}
        models:
          chat:
            targets: [{deployment: down, model: x}, {deployment: up, model: y}]
            resilience: {retry: {max-retries: 0}}
        """;
    try (Switchboard sb = load(yaml).build()) {
      sb.chat(ChatRequest.of("chat", "1"));
      sb.chat(ChatRequest.of("chat", "2"));
      ChatResponse third = sb.chat(ChatRequest.of("chat", "3"));
      assertThat(third.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
      assertThat(third.attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("circuit"));
    }
  }

  @Test
  void aCallDeadlineFromTheFileEndsASlowCall() {
    String yaml = """
        deployments:
          slow: {type: mock, reply: late, latency-ms: 10000}
        models:
          chat:
            targets: [{deployment: slow, model: x}]
        resilience:
          timeouts: {call: 50ms}
        """;
    try (Switchboard sb = load(yaml).build()) {
      try {
        sb.chat(ChatRequest.of("chat", "hi"));
        throw new AssertionError("expected a timeout");
      } catch (SwitchboardException e) {
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
      }
    }
  }

  @Test
  void theTopLevelTimeoutIsTheDeadlineOfEveryAliasThatSetsNone() {
    String yaml = """
        deployments:
          slow: {type: mock, reply: late, latency-ms: 10000}
        models:
          chat:
            targets: [{deployment: slow, model: x}]
            resilience: {retry: {max-retries: 0}}
        timeout: 3s
        """;
    VirtualTime time = new VirtualTime();
    try (Switchboard sb = load(yaml).time(time, time).build()) {
      CompletableFuture<ChatResponse> call = sb.chatAsync(ChatRequest.of("chat", "hi"));
      time.advance(Duration.ofMillis(2_999));
      assertThat(call).isNotDone();
      time.advance(Duration.ofMillis(1));
      assertThat(call).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause().isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
    }
  }

  @Test
  void theDeadlineIsSetOnceInAFile() {
    assertThat(problems(BASE + "resilience: {timeouts: {call: 5s}}\ntimeout: 10s\n"))
        .containsExactly("timeout: sets the deadline resilience.timeouts.call already sets; keep one");
  }

  @Test
  void aDeploymentsLimitsAndBulkheadApplyToItsTargets() {
    String yaml = """
        deployments:
          a: {type: mock, reply: from-a, limits: {requests-per-minute: 1}, bulkhead: {max-concurrent-calls: 4}}
          b: {type: mock, reply: from-b}
        models:
          chat:
            targets: [{deployment: a, model: x}, {deployment: b, model: y}]
        """;
    VirtualTime time = new VirtualTime();
    try (Switchboard sb = load(yaml).time(time, time).build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "1")).text()).isEqualTo("from-a");
      ChatResponse second = sb.chat(ChatRequest.of("chat", "2"));
      assertThat(second.text()).isEqualTo("from-b");
      assertThat(second.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
      assertThat(second.attempts().get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("quota exhausted"));
    }
  }

  // ---- each class of mistake is reported with its path ----

  private static final String BASE = """
      deployments:
        m: {type: mock}
      models:
        chat:
          targets: [{deployment: m, model: x}]
      """;

  @Test
  void unknownKeysInEverySectionGetTheNearestValidKey() {
    List<String> p = problems(BASE.replace("targets:", "stratgy: priority\n    targets:") + """
        resilience:
          retyr: {}
          retry: {max-retry: 2}
          failover: {failover-onn: []}
          timeouts: {cal: 1s}
          hedging: {dealy: 1s}
          circuit-breaker: {minimum-cals: 3}
          bulkhead: {max-concurrent: 3}
          cooldown: {flor: 1s}
          retry-budget: {ration: 0.1}
        """);
    assertThat(p).contains(
        "models.chat.stratgy: unknown key; did you mean 'strategy'?",
        "resilience.retyr: unknown key; did you mean 'retry'?",
        "resilience.retry.max-retry: unknown key; did you mean 'max-retries'?",
        "resilience.failover.failover-onn: unknown key; did you mean 'failover-on'?",
        "resilience.timeouts.cal: unknown key; did you mean 'call'?",
        "resilience.hedging.dealy: unknown key; did you mean 'delay'?",
        "resilience.circuit-breaker.minimum-cals: unknown key; did you mean 'minimum-calls'?",
        "resilience.cooldown.flor: unknown key; did you mean 'floor'?",
        "resilience.retry-budget.ration: unknown key; did you mean 'ratio'?");
    assertThat(p).anyMatch(s -> s.startsWith("resilience.bulkhead.max-concurrent: unknown key"));
  }

  @Test
  void badValueTypesNameTheirPath() {
    List<String> p = problems(BASE + """
        resilience:
          retry: {max-retries: lots, initial-backoff: soon, multiplier: double, retry-on: unavailable}
          hedging: {mode: sometimes}
          circuit-breaker: {window-type: calls, enabled: maybe}
          stream-restart: 1
        """);
    assertThat(p).contains(
        "resilience.retry.max-retries: 'lots' is not a whole number",
        "resilience.retry.initial-backoff: 'soon' is not a duration (e.g. 500ms, 10s, 2m, PT10S)",
        "resilience.retry.multiplier: 'double' is not a number",
        "resilience.retry.retry-on: must be a list, not a value",
        "resilience.hedging.mode: 'sometimes' is not one of [fixed, p95]",
        "resilience.circuit-breaker.window-type: 'calls' is not one of [count, time]",
        "resilience.circuit-breaker.enabled: 'maybe' is not true or false",
        "resilience.stream-restart: '1' is not true or false");
  }

  @Test
  void policyRulesAreReportedWithTheirSection() {
    List<String> p = problems(BASE + """
        resilience:
          retry: {max-retries: -1}
          failover: {failover-on: [invalid-request]}
          timeouts: {call: 0s}
          circuit-breaker: {failure-rate-threshold: 150}
          bulkhead: {max-concurrent-calls: 4, when-full: wait}
          cooldown: {floor: 10s, max: 1s}
          retry-budget: {window: 500ms}
        """);
    assertThat(p).contains(
        "resilience.retry: retry.max-retries must be >= 0, got -1",
        "resilience.failover: failover.failover-on may not contain INVALID_REQUEST: no target accepts an invalid request",
        "resilience.timeouts: timeouts.call must be positive, got PT0S",
        "resilience.circuit-breaker: circuit-breaker.failure-rate-threshold must be in (0, 100], got 150.0",
        "resilience.bulkhead: bulkhead.max-wait must be positive when bulkhead.when-full is WAIT",
        "resilience.cooldown: cooldown.max PT1S is shorter than cooldown.floor PT10S",
        "resilience.retry-budget: retry-budget.window must be at least 1 s, got PT0.5S");
  }

  @Test
  void unknownErrorKindsAndStrategiesGetSuggestions() {
    List<String> p = problems("""
        deployments:
          m: {type: mock}
        models:
          chat:
            strategy: least-latncy
            targets: [{deployment: m, model: x}]
          other:
            strategy: {type: region-affinity}
            targets: [{deployment: m, model: x}]
          third:
            strategy: {type: least-latency, exploration: 2, colour: red}
            targets: [{deployment: m, model: x}]
        resilience:
          retry: {retry-on: [rate-limitd, unavailable]}
        """);
    assertThat(p).contains(
        "models.chat.strategy: unknown strategy 'least-latncy'; did you mean 'least-latency'?",
        "models.other.strategy: region-affinity needs the caller's region: strategy: {type: region-affinity, region: eastus}",
        "models.third.strategy.exploration: must be between 0 and 1",
        "resilience.retry.retry-on[0]: 'rate-limitd' is not one of [authentication, permission, not-found, invalid-request,"
            + " context-length-exceeded, content-filtered, rate-limited, quota-exceeded, timeout, unavailable, server-error,"
            + " network, protocol, cancelled]; did you mean 'rate-limited'?");
    assertThat(p).anyMatch(s -> s.startsWith("models.third.strategy.colour: unknown key"));
  }

  @Test
  void perDeploymentSectionsUnderAnAliasAreRedirected() {
    List<String> p = problems(BASE.replace("targets:", "resilience: {circuit-breaker: {minimum-calls: 2}, retry: {max-retries: 0}}\n    targets:"));
    assertThat(p).containsExactly("models.chat.resilience: circuit-breaker belongs to a deployment (deployments.<name>.circuit-breaker)"
        + " or to the top-level resilience section, not to a model alias");
  }

  @Test
  void missingVariablesInResilienceAreNamed() {
    List<String> p = problems(BASE + "resilience: {timeouts: {call: \"${CALL_TIMEOUT}\"}}\n");
    assertThat(p).containsExactly(
        "resilience.timeouts.call: environment variable CALL_TIMEOUT is not set (use ${CALL_TIMEOUT:-default} for a default)");
  }

  @Test
  void perDeploymentSectionsAreCheckedToo() {
    List<String> p = problems("""
        deployments:
          m:
            type: mock
            circuit-breaker: {minimum-calls: 0}
            bulkhead: {max-concurrent-calls: none}
            limits: {requests-per-minute: 0, tokens-per-min: 5}
        models:
          chat: {targets: [{deployment: m, model: x}]}
        """);
    assertThat(p).contains(
        "deployments.m.circuit-breaker: circuit-breaker.minimum-calls must be >= 1, got 0",
        "deployments.m.bulkhead.max-concurrent-calls: 'none' is not a whole number",
        "deployments.m.limits.tokens-per-min: unknown key; did you mean 'tokens-per-minute'?",
        "deployments.m.limits: limits.requests-per-minute must be >= 1, got 0");
  }

  private static JsonNode yaml(String text) {
    try {
      return new YAMLMapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
