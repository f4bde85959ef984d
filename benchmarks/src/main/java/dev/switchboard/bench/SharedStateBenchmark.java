package dev.switchboard.bench;

import dev.switchboard.Deployment;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.redis.RedisSharedState;
import dev.switchboard.routing.TargetLimits;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * What sharing quota use through Redis costs per call, against the in-memory default in the same
 * run: one target with a per-minute limit (so every send is counted), an in-memory provider that
 * answers at once, and a real {@code redis-server} on loopback (started here; Debian's package).
 * The report to Redis is asynchronous, so what the caller pays is handing it over; Redis's own
 * work and the round trip happen on Lettuce's threads, and {@code -prof gc} shows the allocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SharedStateBenchmark {

  @Param({"memory", "redis"})
  public String store;

  private Process redis;
  private RedisSharedState shared;
  private Switchboard switchboard;
  private ChatRequest request;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    request = Payloads.request("chat");
    Switchboard.Builder b = Switchboard.builder()
        .scanClasspath(false)
        .deployment(Deployment.builder("target", "bench").limits(TargetLimits.of(1_000_000_000L, 1_000_000_000_000L)).build(),
            new RoutingBenchmark.InstantProvider(new TargetRef("target", "bench", "model")))
        .model(ModelAlias.builder("chat").target("target", "model").build());
    if (store.equals("redis")) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      redis = new ProcessBuilder(redisServer(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
          "--appendonly", "no").redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
      awaitPort(port);
      shared = RedisSharedState.create("redis://127.0.0.1:" + port);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!shared.reachable() && System.nanoTime() < deadline) Thread.onSpinWait();
      if (!shared.reachable()) throw new IllegalStateException("redis-server on port " + port + " is not reachable");
      b.sharedState(shared);
    }
    switchboard = b.build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    switchboard.close();
    if (shared != null) shared.close();
    if (redis != null) redis.destroyForcibly();
  }

  /** A call whose send is counted: in memory, or in memory and reported to Redis. */
  @Benchmark
  public ChatResponse chat() {
    return switchboard.chat(request);
  }

  private static String redisServer() {
    for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    throw new IllegalStateException("redis-server not found (Debian: apt-get install redis-server)");
  }

  private static void awaitPort(int port) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IOException("redis-server did not start on port " + port);
  }
}
