#!/usr/bin/env python3
"""Prints the table of the JFR trip event's cost (issue 25) from
benchmarks/results/trip-event-before.json and trip-event-after.json (benchmarks/scripts/trip-event.sh).

Each ratio divides a score of the code with the event by the score of the same benchmark in the
code before it, recording off. Error: the JMH 99.9% confidence half-widths of both scores, combined
in quadrature on the relative errors.
Usage: python3 benchmarks/scripts/trip_event_table.py [results-dir [prefix]]
(prefix trip-event by default; trip-event-run2 for the second run)
"""
import json
import math
import os
import sys

DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'results')
PREFIX = sys.argv[2] if len(sys.argv) > 2 else 'trip-event'


def load(name):
    out = {}
    for r in json.load(open(os.path.join(DIR, name))):
        m = r['primaryMetric']
        err = m.get('scoreError')
        err = 0.0 if err is None or err == 'NaN' or (isinstance(err, float) and math.isnan(err)) else float(err)
        alloc = r.get('secondaryMetrics', {}).get('gc.alloc.rate.norm', {}).get('score')
        out[(r['benchmark'].split('.')[-1], r['params']['recording'])] = (m['score'], err, alloc)
    return out


before = load(PREFIX + '-before.json')
after = load(PREFIX + '-after.json')
print('| benchmark | before, off (ns/op) | before, JFR on | after, off | after, on (20 ms threshold) | after, all (threshold 0) | after/before: off | on | all | B/op before → after off / on / all |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
for bench in ('manualCreateClose', 'timeoutCreateClose', 'createTrip'):
    b, be, ba = before[(bench, 'off')]
    cells = [f'{b:.1f} ± {be:.1f}']
    bon = before.get((bench, 'on'))
    cells.append(f'{bon[0]:.1f} ± {bon[1]:.1f}' if bon else '')
    ratios = []
    allocs = []
    for rec in ('off', 'on', 'all'):
        a, ae, aa = after[(bench, rec)]
        cells.append(f'{a:.1f} ± {ae:.1f}')
        r = a / b
        e = r * math.sqrt((ae / a) ** 2 + (be / b) ** 2)
        ratios.append(f'{r:.2f} ± {e:.2f}')
        allocs.append(f'{aa:.0f}' if aa is not None else '?')
    print(f'| `{bench}` | ' + ' | '.join(cells + ratios) + f' | {ba:.0f} → ' + ' / '.join(allocs) + ' |')
