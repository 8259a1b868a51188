#!/usr/bin/env bash
# What a request pays for an injected per-request breaker: GET /cost/plain against GET /cost/breaker
# (CostResource: the same singleton resource, one use of @Inject @BreakerConfig("request") Breaker),
# with wrk (Debian package `wrk`) against one fresh instance of the packaged sample, alternating the
# endpoints round by round so that all see the same machine. A benchmark, not a test.
#   quarkus-sample/bench/breaker-cost.sh [rounds] [seconds-per-round] [connections]
# PATHS (default "plain breaker scoped timer") picks the endpoints; scoped uses the smallest
# @RequestScoped bean and timer makes and closes a Breaker.byTimeout by hand, to tell where the
# breaker's cost goes. An entry PATH@budget sends the same endpoint with "Breaker-Budget: 5000" (the
# breaker-jaxrs filter then bounds the request's breakers by that budget): BASE (default plain)
# names the entry the ratios are taken against. Prints one line per round and endpoint, then each
# endpoint's median requests/s and its per-round ratio to BASE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/../target/quarkus-app/quarkus-run.jar
rounds=${1:-7}; secs=${2:-5}; conns=${3:-16}
work=$(mktemp -d)
cd "$work"
java -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=18433 -Dbreaker.shutdown.readiness-delay=0s \
  -Dquarkus.log.level=WARN -jar "$jar" > app.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18433/cost/plain > /dev/null 2>&1 && break; sleep 0.5; done
# one wrk run against an entry: PATH, or PATH@budget for the same path with a Breaker-Budget header
hit() {
  local entry=$1 secs=$2 path=${1%@budget}
  if [ "$path" != "$entry" ]; then
    wrk -t2 -c"$conns" -d"${secs}s" -H "Breaker-Budget: 5000" "http://127.0.0.1:18433/cost/$path"
  else
    wrk -t2 -c"$conns" -d"${secs}s" "http://127.0.0.1:18433/cost/$path"
  fi
}
for path in ${PATHS:-plain breaker scoped timer}; do  # warm-up: JIT every path
  hit "$path" 5 > /dev/null
done
echo "# $(date -u +%FT%TZ) commit $(git -C "$here" rev-parse --short HEAD) java $(java -version 2>&1 | head -1) nproc $(nproc) load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# rounds=$rounds seconds=$secs connections=$conns threads=2"
for r in $(seq 1 "$rounds"); do
  for path in ${PATHS:-plain breaker scoped timer}; do
    rps=$(hit "$path" "$secs" | awk '/Requests\/sec/ {print $2}')
    echo "round $r $path $rps"
  done
done | tee rounds.txt
python3 - rounds.txt "${BASE:-plain}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
base_name = sys.argv[2]
by = {}
for r in rows:
    by.setdefault(r[2], []).append(float(r[3]))
base = by[base_name]
for path, v in by.items():
    ratios = [x / p for p, x in zip(base, v)]
    print(f"{path}: median {statistics.median(v):.0f} req/s; per-round ratio to {base_name}: median {statistics.median(ratios):.3f}"
          f" (min {min(ratios):.3f}, max {max(ratios):.3f})")
PY
