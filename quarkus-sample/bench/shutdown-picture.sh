#!/usr/bin/env bash
# Makes the picture of one real shutdown of the sample (issue 25): starts the packaged sample
# with breaker.shutdown.report-file set (and a readiness delay of 1 s instead of 5), posts 300
# events, sends SIGTERM, and waits for the exit. The library writes the timeline (a Mermaid Gantt chart)
# to OUT. From the repository's root, after
#   ./mvnw -B -DskipTests -pl quarkus-sample -am package
# run
#   quarkus-sample/bench/shutdown-picture.sh quarkus-sample/results/shutdown-timeline.md
set -euo pipefail
out=$(realpath -m "$1")
app=$(realpath quarkus-sample/target/quarkus-app/quarkus-run.jar)
work=$(mktemp -d)                      # the H2 database file goes here, not into the repository
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$work"
java -Dquarkus.http.port="$port" -Dbreaker.shutdown.readiness-delay=1s \
     -Dbreaker.shutdown.report-file="$out" -jar "$app" > app.log 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  curl -fs "localhost:$port/q/health/ready" > /dev/null && break
  sleep 0.1
done
curl -fs "localhost:$port/q/health/ready" > /dev/null
for i in $(seq 1 300); do
  curl -fs -X POST "localhost:$port/events" -H 'Content-Type: application/json' -d "{\"payload\":\"event $i\"}" > /dev/null
done
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
echo "exit status $status"
grep -E 'BRKR03|worker graph stopped' app.log
rm -rf "$work"
