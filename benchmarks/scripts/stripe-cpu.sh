#!/bin/sh
# Issue 27: the timer thread's CPU per wall second on the sparse-stripes shape, at the stripe
# counts of 2, 16, 64 and 128 cores. Usage: benchmarks/scripts/stripe-cpu.sh JAR OUT.jsonl LABEL [JAVA]
# One JVM per configuration; each prints one JSON line per round (StripeScanCpu).
set -eu
JAR=$1; OUT=$2; LABEL=$3; JAVA=${4:-java}
: > "$OUT"
for conf in 2:512 16:512 64:0 64:64 64:512 128:512; do
  cpus=${conf%%:*}; idle=${conf##*:}
  "$JAVA" -XX:ActiveProcessorCount="$cpus" -Xms256m -Xmx256m -cp "$JAR" dev.breaker.bench.StripeScanCpu "$idle" 5 10 2 "$LABEL" >> "$OUT"
done
