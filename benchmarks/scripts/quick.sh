#!/usr/bin/env bash
# A quick pass (about 3 minutes on 2 cores): every benchmark family once, few iterations, OpenAI
# only end to end. For development; the figures in README.md come from the full pass.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -pl benchmarks -am package -DskipTests
out=${OUT:-benchmarks/target/quick}
mkdir -p "$out"
cpu=dev.switchboard.bench.prof.CpuTimeProfiler
java -jar "$jar" 'CodecBenchmark|StreamParseBenchmark' -f 1 -wi 1 -w 1 -i 2 -r 1 -prof gc -rf json -rff "$out/codec.json"
java -jar "$jar" RoutingBenchmark -p strategy=priority,quota-aware -f 1 -wi 1 -w 1 -i 2 -r 1 -prof gc -rf json -rff "$out/routing.json"
java -jar "$jar" 'EndToEndBenchmark.(chat|stream)(Switchboard|Raw)1' -p provider=openai \
    -f 1 -wi 2 -w 2 -i 2 -r 2 -prof $cpu -prof gc -rf json -rff "$out/e2e.json"
java -jar "$jar" 'FailoverBenchmark.(direct|failover|circuitOpen)' -f 1 -wi 1 -w 2 -i 2 -r 2 -prof $cpu -rf json -rff "$out/failover.json"
java -Dwarmup.seconds=10 -cp "$jar" dev.switchboard.bench.Interleaved openai 10 chat-raw chat-raw-async chat-switchboard
