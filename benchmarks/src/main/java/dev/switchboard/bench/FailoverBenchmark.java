package dev.switchboard.bench;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.bench.stub.StubProcess;
import dev.switchboard.openai.OpenAi;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What failover costs when the primary refuses connections: the time to an answer from the live
 * secondary through failover, against calling the secondary directly.
 *
 * <ul>
 *   <li>{@code direct} — alias {@code direct}: the live secondary only.
 *   <li>{@code failover} — alias {@code failover}: a dead primary first (its circuit breaker
 *       disabled so every call really attempts it, no same-target retry), then the secondary.
 *       Every call pays one refused connection, the failover decision, and its WARN log line.
 *   <li>{@code circuitOpen} — alias {@code open}: a dead primary whose circuit was opened during
 *       setup, then the secondary. The primary must get zero attempts: every iteration's
 *       tear-down checks the count and fails the benchmark otherwise (a count, not a timing).
 *   <li>{@code failoverDefaultRetry} — alias {@code retry}: like {@code failover} but with the
 *       default retry policy, which retries NETWORK errors once on the same target after a
 *       jittered backoff (up to 100 ms) before failing over. Not part of the budget; it shows
 *       what that default costs a call when the primary is down.
 * </ul>
 * Failover logs one WARN line per call; the fork sends slf4j-simple's output to /dev/null so the
 * cost of formatting and writing it stays in the measurement without flooding the console.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.logFile=/dev/null")
public class FailoverBenchmark {
  private StubProcess stub;
  private Switchboard switchboard;
  private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
  private ChatRequest direct;
  private ChatRequest failover;
  private ChatRequest open;
  private ChatRequest retry;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    stub = StubProcess.start(0);
    int dead = refusingPort();
    String deadUrl = "http://127.0.0.1:" + dead + "/v1";
    RoutingPolicy noRetry = RoutingPolicy.builder().retry(RetryPolicy.NONE).build();
    switchboard = Switchboard.builder()
        .deployment(OpenAi.deployment("live").baseUrl(stub.baseUrl() + "/v1").apiKey("sk-bench").build())
        .deployment(OpenAi.deployment("dead").baseUrl(deadUrl).apiKey("sk-bench").build().toBuilder()
            .circuitBreaker(CircuitBreakerPolicy.DISABLED).build())
        .deployment(OpenAi.deployment("dead-open").baseUrl(deadUrl).apiKey("sk-bench").build().toBuilder()
            .circuitBreaker(CircuitBreakerPolicy.builder().minimumCalls(5).slidingWindowSize(10).waitInOpen(Duration.ofHours(1)).build())
            .build())
        .deployment(OpenAi.deployment("dead-retry").baseUrl(deadUrl).apiKey("sk-bench").build().toBuilder()
            .circuitBreaker(CircuitBreakerPolicy.DISABLED).build())
        .model(ModelAlias.builder("direct").target("live", "gpt-4o-mini").routing(noRetry).build())
        .model(ModelAlias.builder("failover").target("dead", "gpt-4o-mini").target("live", "gpt-4o-mini").routing(noRetry).build())
        .model(ModelAlias.builder("open").target("dead-open", "gpt-4o-mini").target("live", "gpt-4o-mini").routing(noRetry).build())
        .model(ModelAlias.builder("retry").target("dead-retry", "gpt-4o-mini").target("live", "gpt-4o-mini").build())
        .callListenerFactory(call -> new CallListener() {
          @Override
          public void attemptStart(TargetRef target, int attempt, boolean hedge) {
            attempts.computeIfAbsent(target.deployment(), k -> new LongAdder()).increment();
          }
        })
        .build();
    direct = Payloads.request("direct");
    failover = Payloads.request("failover");
    open = Payloads.request("open");
    retry = Payloads.request("retry");

    ChatResponse viaFailover = switchboard.chat(failover);
    if (!viaFailover.servedBy().deployment().equals("live") || viaFailover.attempts().size() != 2) {
      throw new IllegalStateException("failover did not go dead → live: " + viaFailover.attempts());
    }
    // Open the dead primary's circuit: five refused attempts, each failing over to the live target.
    for (int i = 0; i < 10 && !skipsDeadPrimary(switchboard.chat(open)); i++) {
      // keep failing until the breaker has seen enough calls
    }
    if (!skipsDeadPrimary(switchboard.chat(open))) throw new IllegalStateException("the dead primary's circuit did not open");
  }

  private static boolean skipsDeadPrimary(ChatResponse r) {
    Attempt first = r.attempts().get(0);
    return first.target().deployment().equals("dead-open") && first.outcome() == Attempt.Outcome.SKIPPED;
  }

  /** A loopback port nothing listens on: bound, then released. */
  private static int refusingPort() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      throw new IllegalStateException("port " + port + " was expected to refuse connections");
    } catch (java.net.ConnectException expected) {
      return port;
    }
  }

  @Setup(Level.Iteration)
  public void resetCounts() {
    attempts.clear();
  }

  /** The circuit-open check the budget asks for: zero attempts on the dead primary, as a count. */
  @TearDown(Level.Iteration)
  public void checkOpenCircuitGotNoAttempts() {
    LongAdder onDead = attempts.get("dead-open");
    if (onDead != null && onDead.sum() != 0) {
      throw new IllegalStateException("the primary with an open circuit got " + onDead.sum() + " attempts");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    switchboard.close();
    stub.close();
  }

  /** Attempts counted per deployment in the current iteration (for tests). */
  long attemptsOn(String deployment) {
    LongAdder a = attempts.get(deployment);
    return a == null ? 0 : a.sum();
  }

  @Benchmark
  public ChatResponse direct() {
    return switchboard.chat(direct);
  }

  @Benchmark
  public ChatResponse failover() {
    return switchboard.chat(failover);
  }

  @Benchmark
  public ChatResponse circuitOpen() {
    return switchboard.chat(open);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ChatResponse failoverDefaultRetry() {
    return switchboard.chat(retry);
  }
}
