package dev.switchboard.bench;

import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.Target;
import dev.switchboard.TargetRef;
import dev.switchboard.Usage;
import dev.switchboard.resilience.BulkheadPolicy;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.routing.RoutingStrategy;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Switchboard's routing engine costs per call, with the network taken out: three targets on
 * in-memory providers that answer at once, so a call runs start to finish on the caller's thread
 * and everything measured is Switchboard — resolving the alias, the strategy's ordering, the
 * cooldown/quota/capability checks, the circuit breaker and bulkhead permits, the retry budget
 * deposit, health and latency bookkeeping, the attempt trace and the final response copy.
 * {@code direct} calls the same provider without Switchboard; the overhead is the difference.
 *
 * <p>Sample-time mode, so JMH reports the p99 the budget is about ({@code < 5 µs}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

  @Param({"priority", "weighted", "round-robin", "least-latency", "least-in-flight", "lowest-cost", "quota-aware",
      "region-affinity"})
  public String strategy;

  private Switchboard switchboard;
  private ChatRequest request;
  private InstantProvider direct;
  private ProviderCall directCall;

  @Setup(Level.Trial)
  public void setup() {
    request = Payloads.request("chat");
    RoutingPolicy policy = RoutingPolicy.builder().strategy(strategy(strategy)).build();
    Switchboard.Builder b = Switchboard.builder()
        .scanClasspath(false)
        .routing(policy)
        .circuitBreaker(CircuitBreakerPolicy.DEFAULTS)
        .bulkhead(BulkheadPolicy.of(10_000))
        .retryBudget(RetryBudgetPolicy.DEFAULTS);
    ModelAlias.Builder alias = ModelAlias.builder("chat");
    String[] regions = {"eu-west-1", "us-east-1", "us-west-2"};
    for (int i = 0; i < 3; i++) {
      String name = "target-" + i;
      b.deployment(name, new InstantProvider(new TargetRef(name, "bench", "model-" + i)));
      alias.target(Target.of(name, "model-" + i).withPriority(i).withWeight(3 - i).withRegion(regions[i])
          .withPrice(new Target.Price(0.15 + i * 0.1, 0.6 + i * 0.2)));
    }
    switchboard = b.model(alias.build()).build();
    direct = new InstantProvider(new TargetRef("target-0", "bench", "model-0"));
    directCall = new ProviderCall(ProviderRequest.from(request), new TargetRef("target-0", "bench", "model-0"), Duration.ofSeconds(120), 1);
  }

  static RoutingStrategy strategy(String name) {
    return switch (name) {
      case "priority" -> RoutingStrategy.priority();
      case "weighted" -> RoutingStrategy.weighted();
      case "round-robin" -> RoutingStrategy.roundRobin();
      case "least-latency" -> RoutingStrategy.leastLatency();
      case "least-in-flight" -> RoutingStrategy.leastInFlight();
      case "lowest-cost" -> RoutingStrategy.lowestCost();
      case "quota-aware" -> RoutingStrategy.quotaAware();
      case "region-affinity" -> RoutingStrategy.regionAffinity("us-east-1", RoutingStrategy.priority());
      default -> throw new IllegalArgumentException("unknown strategy " + name);
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    switchboard.close();
  }

  /** A call through Switchboard: routing, resilience checks and bookkeeping around an instant answer. */
  @Benchmark
  public ChatResponse switchboard() {
    return switchboard.chat(request);
  }

  /** The same provider called directly: the floor. */
  @Benchmark
  public ChatResponse direct() {
    return direct.chat(directCall).join();
  }

  /** A provider that answers every chat at once with a canned response (built once). */
  static final class InstantProvider implements ChatProvider {
    private final CompletableFuture<ChatResponse> answer;

    InstantProvider(TargetRef ref) {
      answer = CompletableFuture.completedFuture(ChatResponse.builder()
          .message(AssistantMessage.of("The primary colours of light are red, green and blue."))
          .finishReason(FinishReason.STOP)
          .usage(Usage.of(187, 12))
          .model(ref.model())
          .servedBy(ref)
          .build());
    }

    @Override
    public String type() {
      return "bench";
    }

    @Override
    public Capabilities capabilities() {
      return Capabilities.ALL;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ProviderCall call) {
      // A new future per call, as a real provider returns; completing it is the provider's only work.
      return answer.thenApply(r -> r);
    }

    @Override
    public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
      throw new UnsupportedOperationException("not used by this benchmark");
    }
  }
}
