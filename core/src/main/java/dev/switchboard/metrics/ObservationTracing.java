package dev.switchboard.metrics;

import static dev.switchboard.metrics.MetricNames.*;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.TargetRef;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Micrometer {@link Observation} per call ({@value #CALL}) with a child per attempt
 * ({@value #ATTEMPT}: target, provider, outcome, error type, retry number, hedge flag), for any
 * {@link ObservationRegistry} — and so for OpenTelemetry or Brave through the Micrometer tracing
 * bridge. Skips, retries and failovers are events on the call. Installed by
 * {@code Switchboard.builder().observationRegistry(registry)}.
 */
public final class ObservationTracing implements CallListener.Factory {
  public static final String CALL = "switchboard.call";
  public static final String ATTEMPT = "switchboard.attempt";
  /** High-cardinality key: how many earlier attempts this call made on the same target. */
  public static final String RETRY_NUMBER = "switchboard.retry_number";

  private final ObservationRegistry registry;

  public ObservationTracing(ObservationRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
  }

  @Override
  public CallListener create(CallListener.CallInfo call) {
    return registry.isNoop() ? CallListener.NONE : new Tracer(call);
  }

  private final class Tracer implements CallListener {
    private final Observation observation;
    private final List<Open> open = new ArrayList<>(2);
    private final Map<String, Integer> attemptsPerTarget = new HashMap<>();

    private record Open(TargetRef target, boolean hedge, Observation observation) {}

    Tracer(CallInfo call) {
      observation = Observation.createNotStarted(CALL, registry)
          .contextualName(call.operation() + " " + call.alias())
          .lowCardinalityKeyValue(OPERATION, call.operation())
          .lowCardinalityKeyValue(REQUEST_MODEL, call.alias())
          .lowCardinalityKeyValue("switchboard.streaming", Boolean.toString(call.streaming()));
    }

    @Override
    public void callStart(CallInfo call) {
      observation.start();
    }

    @Override
    public void attemptStart(TargetRef target, int attempt, boolean hedge) {
      int earlier = attemptsPerTarget.merge(target.deployment(), 1, Integer::sum) - 1;
      Observation child = Observation.createNotStarted(ATTEMPT, registry)
          .parentObservation(observation)
          .contextualName("attempt " + target.deployment())
          .lowCardinalityKeyValue(TARGET, target.deployment())
          .lowCardinalityKeyValue(PROVIDER, providerName(target.provider()))
          .lowCardinalityKeyValue(HEDGE, Boolean.toString(hedge))
          .highCardinalityKeyValue(RETRY_NUMBER, Integer.toString(earlier))
          .start();
      open.add(new Open(target, hedge, child));
    }

    @Override
    public void attemptEnd(Attempt a) {
      for (int i = 0; i < open.size(); i++) {
        Open o = open.get(i);
        if (o.target.equals(a.target()) && o.hedge == a.hedge()) {
          open.remove(i);
          o.observation.lowCardinalityKeyValue(OUTCOME, tagValue(a.outcome()))
              .lowCardinalityKeyValue(ERROR_TYPE, a.errorKind().map(MetricNames::tagValue).orElse(MetricNames.NONE));
          a.error().ifPresent(o.observation::error);
          o.observation.stop();
          return;
        }
      }
    }

    @Override
    public void targetSkipped(TargetRef target, SkipReason reason, String detail) {
      observation.event(Observation.Event.of("switchboard.target.skipped", "skipped " + target.deployment() + ": " + tagValue(reason)));
    }

    @Override
    public void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {
      observation.event(Observation.Event.of("switchboard.retry", "retry " + target.deployment() + " after " + tagValue(cause)));
    }

    @Override
    public void failover(TargetRef from, TargetRef to, ErrorKind cause) {
      observation.event(Observation.Event.of("switchboard.failover",
          "failover " + from.deployment() + " -> " + to.deployment() + " after " + tagValue(cause)));
    }

    @Override
    public void callEnd(CallEnd end) {
      for (Open o : open) {
        o.observation.lowCardinalityKeyValue(OUTCOME, "abandoned").stop();
      }
      open.clear();
      end.servedBy().ifPresent(t -> observation.lowCardinalityKeyValue(TARGET, t.deployment())
          .lowCardinalityKeyValue(PROVIDER, providerName(t.provider())));
      observation.lowCardinalityKeyValue(RESPONSE_MODEL, end.responseModel().filter(m -> !m.isEmpty()).orElse(MetricNames.NONE))
          .lowCardinalityKeyValue(ERROR_TYPE, end.error().map(e -> tagValue(e.kind())).orElse(MetricNames.NONE));
      end.error().ifPresent(observation::error);
      observation.stop();
    }
  }
}
