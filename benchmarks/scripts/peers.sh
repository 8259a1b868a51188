#!/usr/bin/env bash
# Issue 14's side-by-side runs against the real peers (about 13 minutes on 2 cores).
# Run on a quiet machine: ./mvnw -B -DskipTests -pl benchmarks -am package && bash benchmarks/scripts/peers.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
J=benchmarks/target/benchmarks.jar
R=benchmarks/results
RUN="-f 1 -wi 1 -w 1s -i 2 -r 1s"
for t in 1 8; do
  java -jar $J 'dev.breaker.bench.PeerTimeoutBenchmark' $RUN -t $t -prof gc -rf json -rff $R/peer-timeout-t$t.json
done
java -jar $J 'dev.breaker.bench.PeerTimeoutBenchmark' $RUN -t 2 -p pending=0 -rf json -rff $R/peer-timeout-t2.json
java -jar $J 'dev.breaker.bench.ShutdownBenchmark.(workerGraph|springLifecycle|springLifecycleDefault|sequential)' -p logs=warning $RUN -rf json -rff $R/shutdown-spring.json
java -jar $J 'dev.breaker.bench.FarPendingLatencyBenchmark' -rf json -rff $R/far-pending.json
# multiplex create + trip against CompletableFuture.anyOf, and create + close
java -jar $J 'dev.breaker.bench.MultiplexBenchmark' $RUN -rf json -rff $R/multiplex.json
# the same shutdown on JDK 21+, where every start and stop gets a virtual thread (skipped without one)
J25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ -x "$J25/bin/java" ]; then
  "$J25/bin/java" -jar $J 'dev.breaker.bench.ShutdownBenchmark.(workerGraph|springLifecycle)' -p logs=warning $RUN -rf json -rff $R/shutdown-spring-jdk25.json
fi
# firing: 10^5 timeouts due within 1 s, lateness and the timers' CPU, 5 rounds + 1 warm-up (~1.5 min)
java -Xms2g -Xmx2g -Dbench.commit="$(git rev-parse --short HEAD 2>/dev/null || true)" -cp $J dev.breaker.bench.PeerLateness 100000 5 $R/peer-lateness.json
