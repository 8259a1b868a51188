#!/usr/bin/env bash
# Issue 22's run: the JDBC guard, Retry and Permits against what a user writes instead, in one JMH
# run (WorkBenchmark, 16 benchmarks x 2 forks, about 5 minutes on 2 cores).
# Run on a quiet machine (load average below ~1.5):
#   ./mvnw -B -o -pl core,benchmarks -am package -DskipTests && bash benchmarks/scripts/work.sh
#   python3 benchmarks/scripts/work_table.py
# Writes results/work.json and results/work-machine.txt (commit, JDK, cores, and the load average
# at the start, every 15 s during the run, and at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
J=benchmarks/target/benchmarks.jar
R=benchmarks/results
LOG=$R/work-machine.txt
RUN="-f 2 -wi 3 -w 1s -i 5 -r 1s"
{
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git status --porcelain -- benchmarks/src core/src 2>/dev/null)" ] && echo ' (with uncommitted changes)')"
  echo "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
  echo "nproc: $(nproc)"
  java -version 2>&1
  echo "command: java -jar $J 'dev.breaker.bench.WorkBenchmark' $RUN -prof gc -rf json -rff $R/work.json"
  echo "start: $(uptime)"
} > "$LOG"
( while sleep 15; do echo "during: $(uptime)"; done ) >> "$LOG" &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true' EXIT
java -jar $J 'dev.breaker.bench.WorkBenchmark' $RUN -prof gc -rf json -rff $R/work.json
kill $SAMPLER 2>/dev/null || true
wait $SAMPLER 2>/dev/null || true
echo "end: $(uptime)" >> "$LOG"
