#!/usr/bin/env bash
# The full pass behind the results table in README.md (about 70 minutes on 2 cores). Run it when
# the machine is quiet: it reports `uptime` before each step so a noisy step can be repeated.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
out=${OUT:-benchmarks/target/full}
mkdir -p "$out"
cpu=dev.switchboard.bench.prof.CpuTimeProfiler
step() { echo "== $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/') :: $*"; }

step codec and stream parsing
java -jar "$jar" 'CodecBenchmark|StreamParseBenchmark' -prof gc -rf json -rff "$out/codec.json"
step routing overhead
java -jar "$jar" RoutingBenchmark -prof gc -rf json -rff "$out/routing.json"
step failover
java -jar "$jar" FailoverBenchmark -prof $cpu -prof gc -rf json -rff "$out/failover.json"
step end to end, JMH
java -jar "$jar" EndToEndBenchmark -prof $cpu -prof gc -rf json -rff "$out/e2e.json"
for threads in 1 32; do
  for p in openai azure bedrock; do
    step "end to end, interleaved, $p, $threads caller(s)"
    java -Dthreads=$threads -Dslice.millis=1000 -cp "$jar" dev.switchboard.bench.Interleaved $p 30 chat-raw chat-raw-async chat-switchboard
    java -Dthreads=$threads -Dslice.millis=1000 -cp "$jar" dev.switchboard.bench.Interleaved $p 30 stream-raw stream-switchboard stream-listener
  done
done
step 1,000 concurrent streams
java -Xmx256m -cp "$jar" dev.switchboard.bench.StreamLoad 1000 100 openai
java -Xmx256m -cp "$jar" dev.switchboard.bench.StreamLoad 1000 20 openai 256
java -Xmx256m -cp "$jar" dev.switchboard.bench.StreamLoad 1000 100 bedrock
