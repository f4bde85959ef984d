package dev.switchboard.metrics;

import static dev.switchboard.metrics.MetricNames.*;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.CircuitState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records Switchboard's calls in a Micrometer {@link MeterRegistry}: the OpenTelemetry GenAI
 * metrics (operation duration, token usage, time to first chunk, time per output chunk) and
 * Switchboard's own (attempts, retries, failovers, hedges, skipped targets, retry-budget
 * rejections, cost, circuit state per target). Names and tags are in {@link MetricNames}.
 * Installed by {@code Switchboard.builder().meterRegistry(registry)}.
 */
public final class MicrometerMetrics implements CallListener.Factory {
  /** Bucket bounds for call latencies: LLM calls take from ~100 ms to minutes. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
      Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};
  /** Bucket bounds for time to first chunk. */
  static final Duration[] FIRST_CHUNK_BUCKETS = {
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
  /** Bucket bounds for the gap between chunks. */
  static final Duration[] CHUNK_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)};
  /** Bucket bounds for tokens per call (the OpenTelemetry advice: powers of 4). */
  static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304};

  private final MeterRegistry registry;
  private final Map<String, String> serverAddresses;
  private final Map<String, AtomicInteger> circuitStates = new ConcurrentHashMap<>();

  /**
   * @param serverAddresses the host each deployment talks to, by deployment name (for
   *     {@code server.address}); deployments not in it are tagged without one
   */
  public MicrometerMetrics(MeterRegistry registry, Map<String, String> serverAddresses) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
    this.serverAddresses = Map.copyOf(serverAddresses);
  }

  @Override
  public CallListener create(CallListener.CallInfo call) {
    return new Recorder(call);
  }

  String server(TargetRef t) {
    return serverAddresses.getOrDefault(t.deployment(), MetricNames.NONE);
  }

  private Tags targetTags(TargetRef t) {
    return Tags.of(TARGET, t.deployment(), PROVIDER, providerName(t.provider()));
  }

  private void count(String name, Tags tags) {
    Counter.builder(name).tags(tags).register(registry).increment();
  }

  private static int stateValue(CircuitState s) {
    return switch (s) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
      case DISABLED -> 3;
    };
  }

  /** The listener of one call. Callbacks of one call never overlap, except {@link #streamChunk}. */
  private final class Recorder implements CallListener {
    private final CallInfo call;
    private volatile TargetRef chunkTarget;
    private volatile Timer chunkTimer;

    Recorder(CallInfo call) {
      this.call = call;
    }

    @Override
    public void attemptEnd(Attempt a) {
      count(ATTEMPTS, targetTags(a.target()).and(OUTCOME, tagValue(a.outcome()),
          ERROR_TYPE, a.errorKind().map(MetricNames::tagValue).orElse(MetricNames.NONE), HEDGE, Boolean.toString(a.hedge())));
    }

    @Override
    public void targetSkipped(TargetRef target, SkipReason reason, String detail) {
      count(SKIPPED, targetTags(target).and(SKIP_REASON, tagValue(reason)));
    }

    @Override
    public void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {
      count(RETRIES, targetTags(target).and(ERROR_TYPE, tagValue(cause)));
    }

    @Override
    public void failover(TargetRef from, TargetRef to, ErrorKind cause) {
      count(FAILOVERS, Tags.of(REQUEST_MODEL, call.alias(), FROM_TARGET, from.deployment(), TO_TARGET, to.deployment(),
          ERROR_TYPE, tagValue(cause)));
    }

    @Override
    public void hedgeStarted(TargetRef primary, TargetRef hedge) {
      count(HEDGES_STARTED, targetTags(hedge).and(REQUEST_MODEL, call.alias()));
    }

    @Override
    public void hedgeWon(TargetRef winner, boolean hedge) {
      count(HEDGES_WON, targetTags(winner).and(HEDGE, Boolean.toString(hedge)));
    }

    @Override
    public void retryBudgetExhausted(TargetRef target) {
      count(BUDGET_REJECTIONS, targetTags(target));
    }

    @Override
    public void circuitStateChanged(TargetRef target, CircuitState from, CircuitState to) {
      circuitStates.computeIfAbsent(target.deployment(), d -> {
        AtomicInteger state = new AtomicInteger(stateValue(CircuitState.CLOSED));
        Gauge.builder(CIRCUIT_STATE, state, AtomicInteger::get).tags(targetTags(target))
            .description("0 closed, 1 open, 2 half-open, 3 disabled").register(registry);
        return state;
      }).set(stateValue(to));
    }

    @Override
    public void firstEvent(TargetRef target, Duration timeToFirstEvent) {
      Timer.builder(TIME_TO_FIRST_CHUNK).tags(genAiTags(target)).serviceLevelObjectives(FIRST_CHUNK_BUCKETS)
          .register(registry).record(timeToFirstEvent);
    }

    @Override
    public void streamChunk(TargetRef target, long nanosSincePrevious) {
      Timer timer = chunkTimer;
      if (timer == null || chunkTarget != target) {
        timer = Timer.builder(TIME_PER_OUTPUT_CHUNK).tags(genAiTags(target)).serviceLevelObjectives(CHUNK_BUCKETS)
            .register(registry);
        chunkTarget = target;
        chunkTimer = timer;
      }
      timer.record(nanosSincePrevious, TimeUnit.NANOSECONDS);
    }

    private Tags genAiTags(TargetRef t) {
      return Tags.of(OPERATION, call.operation(), PROVIDER, providerName(t.provider()), REQUEST_MODEL, call.alias(),
          SERVER_ADDRESS, server(t), TARGET, t.deployment());
    }

    @Override
    public void callEnd(CallEnd end) {
      // A failed call is attributed to the last target tried, if any was.
      TargetRef target = end.servedBy().orElseGet(() -> end.attempts().isEmpty() ? null
          : end.attempts().get(end.attempts().size() - 1).target());
      Tags tags = Tags.of(OPERATION, call.operation(), REQUEST_MODEL, call.alias(),
          RESPONSE_MODEL, end.responseModel().filter(m -> !m.isEmpty()).orElse(MetricNames.NONE),
          PROVIDER, target == null ? MetricNames.NONE : providerName(target.provider()),
          SERVER_ADDRESS, target == null ? MetricNames.NONE : server(target),
          TARGET, target == null ? MetricNames.NONE : target.deployment(),
          ERROR_TYPE, end.error().map(e -> tagValue(e.kind())).orElse(MetricNames.NONE));
      Timer.builder(OPERATION_DURATION).tags(tags).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
          .record(end.duration());
      end.usage().ifPresent(u -> {
        Tags base = tags.and(ERROR_TYPE, MetricNames.NONE);
        DistributionSummary.builder(TOKEN_USAGE).baseUnit("{token}").tags(base.and(TOKEN_TYPE, "input"))
            .serviceLevelObjectives(TOKEN_BUCKETS).register(registry).record(u.inputTokens());
        DistributionSummary.builder(TOKEN_USAGE).baseUnit("{token}").tags(base.and(TOKEN_TYPE, "output"))
            .serviceLevelObjectives(TOKEN_BUCKETS).register(registry).record(u.outputTokens());
      });
      end.costUsd().ifPresent(cost -> Counter.builder(COST).baseUnit("USD").tags(Tags.of(REQUEST_MODEL, call.alias()))
          .tags(targetTags(target)).register(registry).increment(cost));
    }
  }
}
