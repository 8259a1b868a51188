#!/usr/bin/env python3
"""Prints the README's tables from the JMH JSON results in benchmarks/results/.

Every line is a ratio of two scores of the same run. Error: the JMH 99.9% confidence half-widths
of both scores, combined in quadrature on the relative errors (r * sqrt((ea/a)^2 + (eb/b)^2)).
Usage: python3 benchmarks/scripts/ratios.py [results-dir]
"""
import json
import math
import os
import sys

DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'results')


def load(name):
    path = os.path.join(DIR, name)
    if not os.path.exists(path):
        return {}
    out = {}
    for r in json.load(open(path)):
        key = (r['benchmark'].split('.')[-1],) + tuple(sorted((r.get('params') or {}).items()))
        m = r['primaryMetric']
        err = m.get('scoreError')
        err = 0.0 if err is None or (isinstance(err, float) and math.isnan(err)) or err == 'NaN' else float(err)
        alloc = r.get('secondaryMetrics', {}).get('gc.alloc.rate.norm', {}).get('score')
        out[key] = (m['score'], err, alloc, m['scoreUnit'])
    return out


def get(res, bench, **params):
    """The result of bench whose parameters include params (others, such as logs, may differ)."""
    want = {k: str(v) for k, v in params.items()}
    hits = [v for k, v in res.items() if k[0] == bench and want.items() <= dict(k[1:]).items()]
    if len(hits) != 1:
        raise KeyError((bench, params, len(hits)))
    return hits[0]


def ratio(a, b):
    (sa, ea, *_), (sb, eb, *_) = a, b
    r = sa / sb
    return r, r * math.sqrt((ea / sa) ** 2 + (eb / sb) ** 2)


def fmt(x):
    s, e, alloc, unit = x
    return f"{s:,.1f} ± {e:,.1f} {unit}" + (f", {alloc:,.0f} B/op" if alloc is not None else "")


def breaker_tables():
    res = load('breaker.json')
    if not res:
        return
    # the reruns with two forks (timeout.json: create + close; ops.json: the rest) supersede the first run
    for rerun in ('timeout.json', 'ops.json'):
        newer = load(rerun)
        names = {k[0] for k in newer}
        res = {k: v for k, v in res.items() if k[0] not in names}
        res.update(newer)
    print("| case | Breaker | alternative | alternative ÷ Breaker (× faster) |")
    print("|---|---|---|---|")
    for pending in ("0", "1", "1000000"):
        b = get(res, 'breaker', pending=pending)
        for alt, label in (('completableFuture', 'CF.orTimeout + complete'),
                           ('scheduledExecutor', 'STPE schedule + cancel')):
            a = get(res, alt, pending=pending)
            r, e = ratio(a, b)
            print(f"| create + close, {int(pending):,} pending, vs {label} | {fmt(b)} | {fmt(a)} | **{r:.2f} ± {e:.2f}** |")
    b0, b1, bm = (get(res, 'breaker', pending=p) for p in ("0", "1", "1000000"))
    r, e = ratio(bm, b0)
    print(f"| Breaker 10^6 pending ÷ 0 pending (target ≤ 1.2) | {fmt(bm)} | {fmt(b0)} | {r:.2f} ± {e:.2f} |")
    r, e = ratio(bm, b1)
    print(f"| Breaker 10^6 pending ÷ 1 pending | {fmt(bm)} | {fmt(b1)} | {r:.2f} ± {e:.2f} |")
    for alt in ('completableFuture', 'scheduledExecutor'):
        r, e = ratio(get(res, alt, pending="1000000"), get(res, alt, pending="0"))
        print(f"| {alt} 10^6 pending ÷ 0 pending | | | {r:.2f} ± {e:.2f} |")
    b = get(res, 'isBroken_breaker')
    for alt in ('isBroken_completableFuture', 'isBroken_scheduledFuture'):
        r, e = ratio(get(res, alt), b)
        print(f"| isBroken() vs {alt.split('_')[1]}.isDone() | {fmt(b)} | {fmt(get(res, alt))} | {r:.2f} ± {e:.2f} |")
    b = get(res, 'onBreak_breaker')
    a = get(res, 'onBreak_copyOnWriteList')
    r, e = ratio(a, b)
    print(f"| onBreak register + unregister vs CopyOnWriteArrayList add + remove | {fmt(b)} | {fmt(a)} | {r:.2f} ± {e:.2f} |")
    for n in ("2", "8", "64"):
        b = get(res, 'trip_breaker', children=n)
        a = get(res, 'trip_anyOf', children=n)
        r, e = ratio(a, b)
        print(f"| multiplex of {n}: create + trip vs CompletableFuture.anyOf | {fmt(b)} | {fmt(a)} | {r:.2f} ± {e:.2f} |")
    for n in ("2", "8", "64"):
        b = get(res, 'close_breaker', children=n)
        print(f"| multiplex of {n}: create + close (anyOf: no way to unregister, leaks) | {fmt(b)} | n/a | n/a |")


def shutdown_table():
    res = load('shutdown.json')
    shapes = os.path.join(DIR, 'shutdown-shapes.json')
    if not res or not os.path.exists(shapes):
        return
    print()
    quiet = load('shutdown-quiet-logs.json')
    jdk25 = load('shutdown-jdk25.json')
    print("| graph | stops | critical path | target 1.05 × CP + 5 ms | WorkerGraph | ÷ critical path | sequential ÷ WorkerGraph | Spring phases ÷ WorkerGraph | WorkerGraph, logs at WARNING | WorkerGraph on JDK 25 (virtual threads) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in json.load(open(shapes)):
        p = dict(shape=s['shape'], stop=s['stop'], stopMillis=s['stopMillis'])
        try:
            g = get(res, 'workerGraph', **p)
        except KeyError:
            continue
        cp = s['criticalPathMillis']
        sq = ratio(get(res, 'sequential', **p), g)
        ph = ratio(get(res, 'springPhases', **p), g)
        def extra(r):
            try:
                x = get(r, 'workerGraph', **p)
                return f"{x[0]:.1f} ± {x[1]:.1f} ms (÷ CP {x[0] / cp:.2f})"
            except KeyError:
                return "-"
        print(f"| {s['shape']} ({s['workers']} workers, {s['phases']} phases) | {s['stop']} {s['stopMillis']} ms | {cp:.1f} ms | {1.05 * cp + 5:.1f} ms"
              f" | {g[0]:.1f} ± {g[1]:.1f} ms | **{g[0] / cp:.2f} ± {g[1] / cp:.2f}** | {sq[0]:.1f} ± {sq[1]:.1f}"
              f" | {ph[0]:.2f} ± {ph[1]:.2f} | {extra(quiet)} | {extra(jdk25)} |")


def cdi_table():
    res = load('cdi-boot.json')
    if not res:
        return
    print()
    print("| Weld SE boot, 1,000 @Worker classes | library logs | time | with extension ÷ this |")
    print("|---|---|---|---|")
    for logs in ('info', 'warning'):
        ext = get(res, 'boot', workers=1000, mode='extension', logs=logs)
        for mode in ('none', 'byHand', 'extension'):
            x = get(res, 'boot', workers=1000, mode=mode, logs=logs)
            r, e = ratio(ext, x)
            print(f"| {mode} | {logs} | {x[0]:.0f} ± {x[1]:.0f} ms | {r:.2f} ± {e:.2f} |")


def mains_tables():
    heap = os.path.join(DIR, 'retained-heap.json')
    cpu = os.path.join(DIR, 'idle-timer-cpu.json')
    late = os.path.join(DIR, 'lateness.json')
    if os.path.exists(heap):
        rows = {r['mechanism']: r for r in json.load(open(heap))}
        b = rows['BREAKER']['bytesPerEntry']
        print()
        print(f"| retained heap per pending timeout ({rows['BREAKER']['pending']:,} pending) | bytes | ÷ Breaker |")
        print("|---|---|---|")
        for m, r in rows.items():
            print(f"| {m} | {r['bytesPerEntry']:.1f} | {r['bytesPerEntry'] / b:.2f} |")
    if os.path.exists(cpu):
        print()
        print("| idle CPU with 10^6 pending, none due | share of one core |")
        print("|---|---|")
        for r in json.load(open(cpu)):
            print(f"| {r['mechanism']} | {100 * r['coreShare']:.2f} % |")
    if os.path.exists(late):
        rows = json.load(open(late))
        print()
        print(f"| firing lateness, {rows[0]['pending']:,} pending, 2-3 ms timeouts | p50 | p99 | max |")
        print("|---|---|---|---|")
        for r in rows:
            print(f"| {r['mechanism']} | {r['p50Micros']:.0f} ± {r['p50MicrosSd']:.0f} µs | {r['p99Micros']:.0f} ± {r['p99MicrosSd']:.0f} µs"
                  f" | {r['maxMicros']:.0f} ± {r['maxMicrosSd']:.0f} µs |")


breaker_tables()
mains_tables()
shutdown_table()
cdi_table()
