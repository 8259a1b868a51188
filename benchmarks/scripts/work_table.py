#!/usr/bin/env python3
"""Prints the README's table "Cancellation that reaches the work" from benchmarks/results/work.json
(written by scripts/work.sh). Every ratio and difference is between two scores of that one run.
Errors: the JMH 99.9 % confidence half-widths; a ratio's combines both relative errors in
quadrature, a difference's both absolute ones.
Usage: python3 benchmarks/scripts/work_table.py [work.json]"""
import json, math, os, re, sys

R = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'results')
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(R, 'work.json')
res = {}
for r in json.load(open(path)):
    name = r['benchmark'].split('.')[-1]
    work = (r.get('params') or {}).get('work')
    m = r['primaryMetric']
    err = m.get('scoreError')
    err = 0.0 if err in (None, 'NaN') or (isinstance(err, float) and math.isnan(err)) else float(err)
    alloc = r.get('secondaryMetrics', {}).get('gc.alloc.rate.norm', {}).get('score')
    res[(name, work)] = (m['score'], err, alloc)


def get(name, work=None):
    return res[(name, work)]


def cell(x):
    s, e, a = x
    b = f", {a:,.0f} B" if a is not None else ''
    return f"{s:,.1f} ± {e:,.1f}{b}"


def ratio(a, b):
    r = a[0] / b[0]
    return r, r * math.hypot(a[1] / a[0], b[1] / b[0])


def diff(a, b):
    return a[0] - b[0], math.hypot(a[1], b[1])


def verdict(v, e, limit):
    """met / missed against an upper limit; says so when the error bar reaches across it."""
    if v + e <= limit:
        return 'met'
    if v - e > limit:
        return '**missed**'
    return 'met on the mean, within the error' if v <= limit else '**missed** on the mean, within the error'


print('| case | Breaker, ns/op (B/op) | alternative, ns/op (B/op) | Breaker ÷ alternative | Breaker − alternative, ns | target | verdict |')
print('|---|---:|---:|---:|---:|---|---|')


def row(label, b, a, target=None, kind=None, limit=None):
    r, re_ = ratio(b, a)
    d, de = diff(b, a)
    v = ''
    if kind == 'ratio':
        v = verdict(r, re_, limit)
    elif kind == 'diff':
        v = verdict(d, de, limit)
    nd = 1 if abs(d) < 100 else 0
    print(f"| {label} | {cell(b)} | {cell(a)} | **{r:.2f} ± {re_:.2f}** | {d:,.{nd}f} ± {de:,.{nd}f} | {target or ''} | {v} |")


u, gm, gp, up, qt = (get(n) for n in ('jdbc_unguarded', 'jdbc_guardedManual', 'jdbc_guardedPerCall',
                                      'jdbc_unguardedPerCall', 'jdbc_queryTimeoutPerCall'))
row('JDBC (a): `Jdbc.execute` under one long-lived `Breaker.manual()` vs `ps.executeQuery()`', gm, u, 'guard < 1,000 ns', 'diff', 1000)
row('JDBC (b): per-call `byTimeout(2 s)` + `Jdbc.execute` vs the same breaker created and closed + `ps.executeQuery()`', gp, up, 'guard < 1,000 ns', 'diff', 1000)
row('JDBC (b) vs plain `ps.executeQuery()` (no breaker)', gp, u)
row('JDBC (b) vs the same breaker + `setQueryTimeout(2)`, query, `setQueryTimeout(0)` by hand', gp, qt)
row('JDBC, for reference: breaker + hand-set query timeout vs breaker + query (what H2\'s two `setQueryTimeout` calls cost)', qt, up)
row('JDBC, for reference: `byTimeout(2 s)` created and closed around the query vs the query alone', up, u)
for work, label in (('lookup', 'HashMap lookup'), ('cpu', '`Blackhole.consumeCPU(64)`')):
    d = get('retry_direct', work)
    row(f'Retry, first attempt succeeds, {label}: `Retry.call(breaker, action)` vs `action.call()`', get('retry_call', work), d, '≤ 1.1×', 'ratio', 1.1)
    row(f'Retry, first attempt succeeds, {label}: prebuilt policy `run(breaker, action).value()` vs `action.call()`', get('retry_policyRun', work), d, '≤ 1.1×', 'ratio', 1.1)
pa, pt, st, sa = (get(n) for n in ('permits_acquire', 'permits_tryAcquire', 'semaphore_tryAcquire', 'semaphore_acquire'))
row('Permits, uncontended: `acquire(breaker, 1)` + `close()` vs `Semaphore.tryAcquire()` + `release()`', pa, st, '≤ 1.5×', 'ratio', 1.5)
row('Permits, uncontended: `acquire(breaker, 1)` + `close()` vs `Semaphore.acquire()` + `release()`', pa, sa, '≤ 1.5×', 'ratio', 1.5)
row('Permits, uncontended: `tryAcquire(1)` + `close()` vs `Semaphore.tryAcquire()` + `release()`', pt, st, '≤ 1.5×', 'ratio', 1.5)
row('Permits, uncontended: `tryAcquire(1)` + `close()` vs `Semaphore.acquire()` + `release()`', pt, sa, '≤ 1.5×', 'ratio', 1.5)
rm = get('remaining_byTimeout')
print(f"| `remaining()` of a live `byTimeout(1 h)`, read as nanos (for information) | {cell(rm)} | | | | | |")

log = os.path.join(os.path.dirname(path), 'work-machine.txt')
if os.path.exists(log):
    loads = [float(m.group(1)) for m in re.finditer(r'load average: ([0-9.]+)', open(log).read())]
    if loads:
        print()
        print(f"Load average (1 min) during the run, from {os.path.basename(log)}: {loads[0]:.2f} at the start, "
              f"{min(loads):.2f}-{max(loads):.2f} over {len(loads)} samples, {loads[-1]:.2f} at the end.")
