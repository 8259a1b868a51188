#!/usr/bin/env bash
# What breaker-opentelemetry costs the trip path (issue 25), in one sitting. Usage:
#   benchmarks/scripts/trip-telemetry.sh BEFORE.jar AFTER.jar
# BEFORE.jar: benchmarks/target/benchmarks.jar built at 3a73f34 (before the trip observers);
# AFTER.jar: the same at this commit. Writes benchmarks/results/trip-telemetry-*.json:
#   ab-before-<i>, ab-after-<i>  TripEventBenchmark (recording off) from each jar, alternating three
#                                times so that both sides of each pair see the same load: the cost of
#                                the observer hook when nobody observes ("off")
#   module                       TripTelemetryBenchmark from AFTER.jar: none vs installed on a real SDK ("on")
# Table: python3 benchmarks/scripts/trip_telemetry_table.py
set -euo pipefail
before=$1 after=$2 out=benchmarks/results/trip-telemetry
opts=(-f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc)
jmh() { # JMH takes /tmp/jmh.lock and exits at once if another JMH holds it: wait for a gap, retry
  until java -jar "$@"; do while fuser /tmp/jmh.lock 2>/dev/null | grep -q "[0-9]"; do sleep 0.05; done; done
}
for i in 1 2 3; do
  jmh "$before" 'dev.breaker.bench.TripEventBenchmark' -p recording=off "${opts[@]}" -rf json -rff "$out-ab-before-$i.json"
  jmh "$after" 'dev.breaker.bench.TripEventBenchmark' -p recording=off "${opts[@]}" -rf json -rff "$out-ab-after-$i.json"
done
jmh "$after" 'dev.breaker.bench.TripTelemetryBenchmark' -f 2 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff "$out-module.json"
