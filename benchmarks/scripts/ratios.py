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
    return res[(bench,) + tuple(sorted((k, str(v)) for k, v in params.items()))]


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
    print("| graph | stops | critical path | WorkerGraph | ÷ critical path | sequential ÷ WorkerGraph | Spring phases ÷ WorkerGraph |")
    print("|---|---|---|---|---|---|---|")
    for s in json.load(open(shapes)):
        p = dict(shape=s['shape'], stop=s['stop'], stopMillis=s['stopMillis'])
        try:
            g = get(res, 'workerGraph', **p)
        except KeyError:
            continue
        cp = s['criticalPathMillis']
        sq = ratio(get(res, 'sequential', **p), g)
        ph = ratio(get(res, 'springPhases', **p), g)
        print(f"| {s['shape']} ({s['workers']} workers, {s['phases']} phases) | {s['stop']} {s['stopMillis']} ms | {cp:.1f} ms"
              f" | {g[0]:.1f} ± {g[1]:.1f} ms | **{g[0] / cp:.2f} ± {g[1] / cp:.2f}** | {sq[0]:.1f} ± {sq[1]:.1f}"
              f" | {ph[0]:.2f} ± {ph[1]:.2f} |")


def cdi_table():
    res = load('cdi-boot.json')
    if not res:
        return
    print()
    print("| Weld SE boot, 1,000 @Worker classes | time | with extension ÷ this |")
    print("|---|---|---|")
    ext = get(res, 'boot', workers=1000, mode='extension')
    for mode in ('none', 'byHand', 'extension'):
        x = get(res, 'boot', workers=1000, mode=mode)
        r, e = ratio(ext, x)
        print(f"| {mode} | {x[0]:.0f} ± {x[1]:.0f} ms | {r:.2f} ± {e:.2f} |")


breaker_tables()
shutdown_table()
cdi_table()
