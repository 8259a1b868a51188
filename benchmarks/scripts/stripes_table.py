#!/usr/bin/env python3
"""Issue 27's tables from benchmarks/results/issue27/: the timer thread's CPU per wall second
(StripeScanCpu, before and after; mean of the rounds, each round's value in brackets) and create +
close before and after, from alternating runs (Breaker's ns/op and orTimeout ÷ Breaker of each run)."""
import json,os,collections,sys
R=sys.argv[1] if len(sys.argv)>1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','results','issue27')
def lines(f):
    p=os.path.join(R,f)
    return [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []
cpu=collections.defaultdict(lambda: collections.defaultdict(list))
loads=collections.defaultdict(list)
for tag in ('before','after'):
    for d in lines(f'timer-cpu-{tag}.jsonl'):
        cpu[(d['cpus'],d['stripes'],d['idleThreads'])][tag].append(100*d['timerCpuShare'])
        loads[tag].append(d['loadAverage'])
if cpu:
    def cell(v): return f"{sum(v)/len(v):.2f} % ({', '.join(f'{x:.2f}' for x in v)})" if v else '–'
    base={t:cpu[(2,4,512)][t] for t in ('before','after')}
    print('| cores (stripes) | idle threads | timer CPU before | timer CPU after | after ÷ before | after ÷ after at 4 stripes |')
    print('|---|---:|---:|---:|---:|---:|')
    for k in sorted(cpu, key=lambda k:(k[0],k[2])):
        b=cpu[k]['before']; a=cpu[k]['after']
        mb=sum(b)/len(b) if b else None; ma=sum(a)/len(a) if a else None
        m4=sum(base['after'])/len(base['after']) if base['after'] else None
        r=f"{ma/mb:.2f}" if mb and ma else '–'
        r4=f"{ma/m4:.2f}×" if ma and m4 else '–'
        print(f"| {k[0]} ({k[1]}) | {k[2]} | {cell(b)} | {cell(a)} | {r} | {r4} |")
    for t in ('before','after'):
        if loads[t]: print(f"\n{t}: load average {min(loads[t]):.2f}-{max(loads[t]):.2f} during the rounds", end='')
    print()
def jmh(f):
    p=os.path.join(R,f)
    out={}
    if os.path.exists(p):
        for r in json.load(open(p)):
            m=r['benchmark'].split('.')[-1]; q=r['params']
            out[(q['timeout'],int(q['pending']),m)]=r['primaryMetric']['score']
    return out
order=['100ms','2s','30s','10-20min']
# alternating before/after runs ({prefix}-t{threads}-{before,after}-{round}.json): Breaker (and
# orTimeout, when run) of each run; prefix ab: load 6-12, breaker and orTimeout; ab2, ab3: quiet
# machine, breaker only, after = 0af455a (ab2; ab4 with 8 threads) and the flat bitmap array (ab3)
for prefix in ('ab','ab2','ab3','ab4'):
    ab=collections.defaultdict(lambda: collections.defaultdict(list))
    for t in (1,8):
        for tag in ('before','after'):
            for rnd in (1,2,3):
                d=jmh(f'{prefix}-t{t}-{tag}-{rnd}.json')
                for (to,pend,m),v in d.items():
                    ab[(t,to,pend)][(tag,m)].append(v)
    if not ab:
        continue
    withOr=any(m=='orTimeout' for d in ab.values() for (_,m) in d)
    print(f"\ncreate + close, {prefix}: before and after alternating (before, after, before, after, ...): Breaker ns/op of each run"
          + ("; orTimeout ÷ Breaker of each run" if withOr else "; mean after ÷ mean before"))
    print()
    if withOr:
        print('| threads | timeout | pending | Breaker before ns | Breaker after ns | orTimeout ÷ Breaker before | orTimeout ÷ Breaker after |')
        print('|---:|---|---:|---:|---:|---:|---:|')
    else:
        print('| threads | timeout | pending | Breaker before ns | Breaker after ns | after ÷ before |')
        print('|---:|---|---:|---:|---:|---:|')
    for k in sorted(ab, key=lambda k:(k[0],k[2],order.index(k[1]))):
        d=ab[k]
        def runs(tag): return ', '.join(f"{x:.1f}" if not withOr else f"{x:.0f}" for x in d[(tag,'breaker')])
        if withOr:
            def rat(tag): return ', '.join(f"{o/b:.2f}×" for o,b in zip(d[(tag,'orTimeout')],d[(tag,'breaker')]))
            print(f"| {k[0]} | {k[1]} | {k[2]:,} | {runs('before')} | {runs('after')} | {rat('before')} | {rat('after')} |")
        else:
            b=d[('before','breaker')]; a=d[('after','breaker')]
            print(f"| {k[0]} | {k[1]} | {k[2]:,} | {runs('before')} | {runs('after')} | {(sum(a)/len(a))/(sum(b)/len(b)):.3f} |")
# PeerLateness runs (peer-lateness-*.json, lateness-ab-*.json): Breaker's p99 per round next to the
# peers' of the same round, the callback threads alive, and the GC count of the window
import glob
files=sorted(glob.glob(os.path.join(R,'peer-lateness-*.json'))+glob.glob(os.path.join(R,'lateness-ab-*.json')), key=os.path.getmtime)
if files:
    print("\nfiring lateness p99 (ms) per round, 10^5 timeouts due within 1 s; threads = breaker-timer + callback threads seen; gc = collections in the window")
    print()
    print('| file (code) | load start → end | round | Breaker p99 | threads | gc | STPE p99 | Netty 1 ms p99 |')
    print('|---|---|---:|---:|---:|---:|---:|---:|')
    for f in files:
        d=json.load(open(f)); peers={p['peer']:p['perRound'] for p in d['peers']}
        ls=' '.join(str(d.get('loadAverageStart','?')).split()[:1]); le=' '.join(str(d.get('loadAverageEnd','?')).split()[:1])
        for i,b in enumerate(peers['breaker']):
            s=peers.get('scheduledExecutor',[None]*(i+1))[i]; n=peers.get('netty1ms',[None]*(i+1))[i]
            fmt=lambda x: f"{x['p99Ms']:.2f}" if x else '–'
            print(f"| {os.path.basename(f)} ({d.get('commit')}) | {ls} → {le} | {i+1} | {b['p99Ms']:.2f} | {b['timerThreads']:.0f} | {b['gcCount']:.0f} | {fmt(s)} | {fmt(n)} |")
