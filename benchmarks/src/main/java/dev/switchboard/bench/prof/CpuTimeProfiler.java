package dev.switchboard.bench.prof;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Process CPU time per operation ({@code cpu.time.norm}, ns/op), summed over every thread of the
 * benchmark JVM: callers, OkHttp's dispatcher and reader threads, Switchboard's scheduler, GC
 * and JIT. Wall-clock time on a loopback call is mostly waiting for the other side; CPU time is
 * what a client library costs its host. The stub runs in another process so it is not counted.
 *
 * <p>Use with {@code -prof dev.switchboard.bench.prof.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startCpu;
  private long startWall;

  @Override
  public String getDescription() {
    return "process CPU time per operation (all threads of the benchmark JVM)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startWall = System.nanoTime();
    startCpu = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    long cpu = os.getProcessCpuTime() - startCpu;
    long wall = System.nanoTime() - startWall;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops == 0 ? Double.NaN : (double) cpu / ops;
    return List.of(
        new ScalarResult("cpu.time.norm", perOp, "ns/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.utilisation", wall == 0 ? Double.NaN : (double) cpu / wall, "cores", AggregationPolicy.AVG));
  }
}
