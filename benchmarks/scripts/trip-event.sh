#!/usr/bin/env bash
# The cost of the JFR trip event (issue 25): TripEventBenchmark from a jar built before the event
# existed and from one built with it, in one sitting. Usage:
#   benchmarks/scripts/trip-event.sh BEFORE.jar AFTER.jar OUT-PREFIX
# BEFORE.jar: benchmarks/target/benchmarks.jar built at commit b2c0dfc with TripEventBenchmark
# added (the benchmark uses only the public API); AFTER.jar: the same at this commit.
set -euo pipefail
before=$1 after=$2 out=$3
opts=(-f 2 -wi 3 -w 1s -i 5 -r 1s -prof gc)
jmh() { # JMH takes /tmp/jmh.lock and exits at once if another JMH holds it: wait for a gap, retry
  until java -jar "$@"; do
    while fuser /tmp/jmh.lock 2>/dev/null | grep -q "[0-9]"; do sleep 0.05; done
  done
}
jmh "$before" 'dev.breaker.bench.TripEventBenchmark' -p recording=off,on "${opts[@]}" -rf json -rff "$out-before.json"
jmh "$after" 'dev.breaker.bench.TripEventBenchmark' -p recording=off,on,all "${opts[@]}" -rf json -rff "$out-after.json"
