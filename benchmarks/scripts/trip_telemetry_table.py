#!/usr/bin/env python3
"""Tables of benchmarks/scripts/trip-telemetry.sh's results (benchmarks/results/trip-telemetry-*.json)."""
import json, sys, glob
d = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results"

def load(path):
    out = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        key = name + ("/" + r["params"].get("telemetry", "") if "params" in r and "telemetry" in r["params"] else "")
        m = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        out[key] = (m["score"], m["scoreError"], alloc)
    return out

print("Off (nobody observes trips): TripEventBenchmark, recording off, before (3a73f34) and after, alternating\n")
print("| benchmark | pair | before (ns/op) | after (ns/op) | after/before |")
print("|---|---:|---:|---:|---:|")
for i in (1, 2, 3):
    b = load(f"{d}/trip-telemetry-ab-before-{i}.json"); a = load(f"{d}/trip-telemetry-ab-after-{i}.json")
    for k in sorted(b):
        print(f"| `{k}` | {i} | {b[k][0]:.1f} ± {b[k][1]:.1f} | {a[k][0]:.1f} ± {a[k][1]:.1f} | {a[k][0]/b[k][0]:.2f} |")
print("\nOn: TripTelemetryBenchmark, the module not installed vs installed on a real SDK, one run\n")
print("| benchmark | none (ns/op) | installed (ns/op) | installed/none | B/op none → installed |")
print("|---|---:|---:|---:|---|")
m = load(f"{d}/trip-telemetry-module.json")
for name in ("manualCreateClose", "timeoutCreateClose", "createTrip"):
    n = m[name + "/none"]; i = m[name + "/installed"]
    print(f"| `{name}` | {n[0]:.1f} ± {n[1]:.1f} | {i[0]:.1f} ± {i[1]:.1f} | {i[0]/n[0]:.2f} | {n[2]:.0f} → {i[2]:.0f} |")
