#!/usr/bin/env bash
# POST /events throughput and latency with wrk (Debian package `wrk`), at 4 and 64 connections,
# against a fresh instance of the packaged sample. A benchmark, not a test.
#   quarkus-sample/bench/bench.sh <label> [-Dkey=value ...]
# e.g. group commit (default) against one commit per request, on H2 then on PostgreSQL:
#   quarkus-sample/bench/bench.sh h2-group
#   quarkus-sample/bench/bench.sh h2-per-request -Dsample.intake.batch-size=1
#   quarkus-sample/bench/bench.sh pg-group -Dquarkus.profile=postgresql
# Runs in a scratch directory (H2 keeps its file under ./data there); port 18432 on loopback.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/../target/quarkus-app/quarkus-run.jar
label=$1; shift
work=$(mktemp -d)
cd "$work"
java -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=18432 -Dbreaker.shutdown.readiness-delay=0s "$@" \
  -jar "$jar" > "app-$label.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do grep -q "Listening on" "app-$label.log" && break; sleep 0.5; done
wrk -t2 -c4 -d5s -s "$here/post.lua" http://127.0.0.1:18432/events > /dev/null   # warm-up
for c in 4 64; do
  echo "$label c=$c $(wrk -t2 -c$c -d10s -s "$here/post.lua" http://127.0.0.1:18432/events | grep RESULT)"
done
