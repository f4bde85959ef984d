package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Target;
import dev.switchboard.TargetRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each built-in strategy's ordering, on candidates with fixed hints and stats. */
class StrategyOrderingTest {

  /** A candidate with settable stats. */
  static final class Fake implements Candidate, TargetStats {
    final Target target;
    final Optional<String> region;
    double latency = Double.NaN;
    double ttft = Double.NaN;
    int inFlight;
    double quota = 1;

    Fake(Target target, String region) {
      this.target = target;
      this.region = Optional.ofNullable(region);
    }

    @Override public Target target() { return target; }
    @Override public TargetRef ref() { return new TargetRef(target.deployment(), "fake", target.model()); }
    @Override public Optional<String> region() { return region; }
    @Override public TargetStats stats() { return this; }
    @Override public double latencyMillis() { return latency; }
    @Override public double timeToFirstEventMillis() { return ttft; }
    @Override public int inFlight() { return inFlight; }
    @Override public double quotaRemaining() { return quota; }
    @Override public String toString() { return target.deployment(); }
  }

  private final Fake a = new Fake(Target.of("a", "m").withPriority(0).withWeight(1), "eastus");
  private final Fake b = new Fake(Target.of("b", "m").withPriority(1).withWeight(1), "westus");
  private final Fake c = new Fake(Target.of("c", "m").withPriority(2).withWeight(1), "eastus");
  private final List<Candidate> abc = List.of(a, b, c);

  private static RoutingRequest request(boolean streaming, int inputTokens, Integer maxTokens) {
    return new RoutingRequest("chat", streaming, inputTokens,
        maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens), new Random(1));
  }

  private static List<String> names(List<Candidate> order) {
    return order.stream().map(x -> x.target().deployment()).toList();
  }

  @Test
  void priorityOrdersByPriorityThenDeclaration() {
    Fake late = new Fake(Target.of("late", "m").withPriority(0), null);
    List<Candidate> unsorted = List.of(c, b, a, late);
    assertThat(names(RoutingStrategy.priority().order(unsorted, request(false, 0, null)))).containsExactly("a", "late", "b", "c");
    assertThat(RoutingStrategy.priority().order(abc, request(false, 0, null))).isSameAs(abc);
  }

  @Test
  void weightedPutsZeroWeightLast() {
    Fake zero = new Fake(Target.of("zero", "m").withPriority(0).withWeight(0), null);
    RoutingStrategy w = RoutingStrategy.weighted();
    for (int i = 0; i < 200; i++) {
      List<String> order = names(w.order(List.of(zero, a, b), new RoutingRequest("chat", false, 0, OptionalInt.empty(), new Random(i))));
      assertThat(order).hasSize(3).last().isEqualTo("zero");
    }
  }

  @Test
  void roundRobinRotatesTheFirstChoice() {
    RoutingStrategy rr = RoutingStrategy.roundRobin();
    assertThat(names(rr.order(abc, request(false, 0, null)))).containsExactly("a", "b", "c");
    assertThat(names(rr.order(abc, request(false, 0, null)))).containsExactly("b", "c", "a");
    assertThat(names(rr.order(abc, request(false, 0, null)))).containsExactly("c", "a", "b");
    assertThat(names(rr.order(abc, request(false, 0, null)))).containsExactly("a", "b", "c");
  }

  @Test
  void leastLatencyRanksByAverageAndTriesUnmeasuredTargetsFirst() {
    RoutingStrategy ll = RoutingStrategy.leastLatency(0);
    a.latency = 900;
    b.latency = 300;
    assertThat(names(ll.order(abc, request(false, 0, null)))).containsExactly("c", "b", "a");
    c.latency = 500;
    assertThat(names(ll.order(abc, request(false, 0, null)))).containsExactly("b", "c", "a");
    // Streams rank by time to first event.
    a.ttft = 100;
    b.ttft = 700;
    c.ttft = 400;
    assertThat(names(ll.order(abc, request(true, 0, null)))).containsExactly("a", "c", "b");
  }

  @Test
  void leastLatencyExploresWithTheConfiguredProbability() {
    a.latency = 100;
    b.latency = 200;
    c.latency = 300;
    RoutingStrategy ll = RoutingStrategy.leastLatency(0.1);
    Random random = new Random(3);
    int explored = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      if (!ll.order(abc, new RoutingRequest("chat", false, 0, OptionalInt.empty(), random)).get(0).equals(a)) explored++;
    }
    assertThat(explored / (double) n).isBetween(0.09, 0.11);
    assertThatThrownBy(() -> RoutingStrategy.leastLatency(1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exploration");
  }

  @Test
  void leastInFlightPrefersTheIdleTarget() {
    a.inFlight = 5;
    b.inFlight = 2;
    c.inFlight = 2;
    assertThat(names(RoutingStrategy.leastInFlight().order(abc, request(false, 0, null)))).containsExactly("b", "c", "a");
  }

  @Test
  void lowestCostUsesThePriceTableAndExpectedTokens() {
    Fake cheapIn = new Fake(Target.of("cheap-in", "m").withPriority(0).withPrice(new Target.Price(0.1, 10)), null);
    Fake cheapOut = new Fake(Target.of("cheap-out", "m").withPriority(1).withPrice(new Target.Price(5, 0.5)), null);
    Fake unpriced = new Fake(Target.of("unpriced", "m").withPriority(2), null);
    List<Candidate> all = List.of(unpriced, cheapIn, cheapOut);
    RoutingStrategy cost = RoutingStrategy.lowestCost();
    // Long prompt, short answer: input price dominates.
    assertThat(names(cost.order(all, request(false, 10_000, 10)))).containsExactly("cheap-in", "cheap-out", "unpriced");
    // Short prompt, long answer: output price dominates.
    assertThat(names(cost.order(all, request(false, 10, 4_000)))).containsExactly("cheap-out", "cheap-in", "unpriced");
    // No maxTokens: the assumed output length decides.
    assertThat(names(RoutingStrategy.lowestCost(10_000).order(all, request(false, 10, null))))
        .containsExactly("cheap-out", "cheap-in", "unpriced");
  }

  @Test
  void quotaAwarePrefersTheMostQuotaLeft() {
    a.quota = 0.1;
    b.quota = 0.8;
    c.quota = 0.8;
    assertThat(names(RoutingStrategy.quotaAware().order(abc, request(false, 0, null)))).containsExactly("b", "c", "a");
  }

  @Test
  void regionAffinityPutsTheCallersRegionFirstThenTheSecondaryOrder() {
    a.latency = 500;
    b.latency = 10;
    c.latency = 100;
    RoutingStrategy ra = RoutingStrategy.regionAffinity("EastUS", RoutingStrategy.leastLatency(0));
    assertThat(names(ra.order(abc, request(false, 0, null)))).containsExactly("c", "a", "b");
    assertThat(names(RoutingStrategy.regionAffinity("westus", RoutingStrategy.priority()).order(abc, request(false, 0, null))))
        .containsExactly("b", "a", "c");
    assertThat(ra.name()).isEqualTo("region-affinity(EastUS, least-latency)");
  }

  @Test
  void strategiesDoNotModifyTheirInput() {
    List<Candidate> input = new ArrayList<>(abc);
    for (RoutingStrategy s : List.of(RoutingStrategy.priority(), RoutingStrategy.weighted(), RoutingStrategy.roundRobin(),
        RoutingStrategy.leastLatency(), RoutingStrategy.leastInFlight(), RoutingStrategy.lowestCost(),
        RoutingStrategy.quotaAware(), RoutingStrategy.regionAffinity("eastus", RoutingStrategy.weighted()))) {
      assertThat(s.order(input, request(false, 100, null))).as(s.name()).containsExactlyInAnyOrderElementsOf(abc);
      assertThat(input).containsExactlyElementsOf(abc);
    }
  }
}
