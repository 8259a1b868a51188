#!/usr/bin/env bash
# createTrip with recording off, before and after the JFR trip event, alternating (before, after)
# three times so that both sides of each pair see the same load (issue 25). Usage:
#   benchmarks/scripts/trip-event-ab.sh BEFORE.jar AFTER.jar   (jars as for trip-event.sh)
set -euo pipefail
before=$1 after=$2
jmh() { # JMH takes /tmp/jmh.lock and exits at once if another JMH holds it: wait for a gap, retry
  until java -jar "$@"; do while fuser /tmp/jmh.lock 2>/dev/null | grep -q "[0-9]"; do sleep 0.05; done; done
}
for i in 1 2 3; do
  jmh "$before" 'dev.breaker.bench.TripEventBenchmark.createTrip' -p recording=off -f 1 -wi 3 -w 1s -i 5 -r 1s \
      -rf json -rff "benchmarks/results/trip-event-ab-before-$i.json"
  jmh "$after" 'dev.breaker.bench.TripEventBenchmark.createTrip' -p recording=off -f 1 -wi 3 -w 1s -i 5 -r 1s \
      -rf json -rff "benchmarks/results/trip-event-ab-after-$i.json"
done
