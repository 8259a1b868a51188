#!/usr/bin/env python3
"""Prints the README's peer tables from benchmarks/results/peer-*.json (or another directory's), shutdown-spring.json,
far-pending.json, multiplex.json and peer-lateness.json (written by scripts/peers.sh). Every ratio is
alternative / Breaker of one run."""
import json,sys,collections,os
# an optional argument names another results directory (e.g. benchmarks/results/issue27)
R=sys.argv[1] if len(sys.argv)>1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','results')
def load(f):
    try: return json.load(open(f))
    except Exception: return []
rows=collections.defaultdict(dict)
for t in (1,2,8):
    for r in load(os.path.join(R,f'peer-timeout-t{t}.json')):
        m=r['benchmark'].split('.')[-1]; p=r['params']
        key=(p['timeout'],int(p['pending']),t)
        alloc=r.get('secondaryMetrics',{}).get('gc.alloc.rate.norm',{}).get('score')
        rows[key][m]=(r['primaryMetric']['score'],alloc)
order=['100ms','2s','30s','10-20min']
print('| timeout | pending | threads | Breaker ns/op (B/op) | vs orTimeout | vs STPE | vs Netty HashedWheelTimer |')
print('|---|---:|---:|---:|---:|---:|---:|')
for key in sorted(rows, key=lambda k:(k[2],k[1],order.index(k[0]))):
    d=rows[key]
    if 'breaker' not in d: continue
    b,ba=d['breaker']
    def rt(m):
        return f"{d[m][0]/b:.2f}×" if m in d else '–'
    bb=f" ({ba:.0f})" if ba is not None else ''
    print(f"| {key[0]} | {key[1]:,} | {key[2]} | {b:.0f}{bb} | {rt('orTimeout')} | {rt('scheduledExecutor')} | {rt('netty')} |")
sh=collections.defaultdict(dict)
for r in load(os.path.join(R,'shutdown-spring.json')):
    m=r['benchmark'].split('.')[-1]; p=r['params']
    sh[(p['shape'],p['stop'])][m]=r['primaryMetric']['score']
cp={(r['shape'],r['stop']):r['criticalPathMillis'] for r in load(os.path.join(R,'shutdown-shapes.json'))}
if sh:
    print()
    print('| shape | stops | critical path ms | worker graph ms | graph ÷ critical path | Spring, asynchronous stops on a warm pool, ms | Spring ÷ graph | Spring, default synchronous stops, ms | Spring default ÷ graph | sequential ms |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    def f(v, fmt='{:.1f}'):
        return '–' if v is None else fmt.format(v)
    for k in sorted(sh):
        d=sh[k]; g=d.get('workerGraph'); s=d.get('springLifecycle'); sd=d.get('springLifecycleDefault'); q=d.get('sequential')
        c=cp.get(k)
        print(f"| {k[0]} | {k[1]} | {f(c)} | {f(g)} | {f(g/c if g and c else None, '{:.2f}')} | {f(s)} | {f(s/g if s and g else None, '**{:.2f}×**')} | {f(sd)} | {f(sd/g if sd and g else None, '**{:.2f}×**')} | {f(q)} |")
sh25=collections.defaultdict(dict)
for r in load(os.path.join(R,'shutdown-spring-jdk25.json')):
    m=r['benchmark'].split('.')[-1]; p=r['params']
    sh25[(p['shape'],p['stop'])][m]=r['primaryMetric']['score']
if sh25:
    print()
    print('JDK 25 (virtual threads for the graph; Spring on the same warm platform-thread pool):')
    print()
    print('| shape | stops | critical path ms | worker graph ms | graph ÷ critical path | Spring, asynchronous stops on a warm pool, ms | Spring ÷ graph |')
    print('|---|---|---:|---:|---:|---:|---:|')
    for k in sorted(sh25):
        d=sh25[k]; g=d.get('workerGraph'); s=d.get('springLifecycle'); c=cp.get(k)
        print(f"| {k[0]} | {k[1]} | {c:.1f} | {g:.1f} | {g/c:.2f} | {s:.1f} | **{s/g:.2f}×** |")
mx=collections.defaultdict(dict)
for r in load(os.path.join(R,'multiplex.json')):
    mx[int(r['params']['children'])][r['benchmark'].split('.')[-1]]=r['primaryMetric']['score']
if mx:
    print()
    print('| children | Breaker create + trip ns | `anyOf` create + complete ns | Breaker ÷ `anyOf` speed | Breaker create + close ns |')
    print('|---:|---:|---:|---:|---:|')
    for n in sorted(mx):
        d=mx[n]; b=d.get('trip_breaker'); a=d.get('trip_anyOf'); c=d.get('close_breaker')
        print(f"| {n} | {b:.0f} | {a:.0f} | **{a/b:.2f}×** | {c:.0f} |")
print()
for r in load(os.path.join(R,'far-pending.json')):
    p=r['params']; pm=r['primaryMetric']['scorePercentiles']
    print(f"far pending={p['pending']}: p50 {pm['50.0']:.0f} ns, p99 {pm['99.0']:.0f} ns, p99.9 {pm['99.9']:.0f} ns, max {pm['100.0']:.0f} ns")
pl=load(os.path.join(R,'peer-lateness.json'))
if isinstance(pl,dict) and pl.get('peers'):
    peers={p['peer']:p for p in pl['peers']}
    b=peers.get('breaker')
    names={'breaker':'Breaker (1 ms tick)','orTimeout':'`CompletableFuture.orTimeout`','scheduledExecutor':'`ScheduledThreadPoolExecutor` (1 thread)',
           'netty':'Netty `HashedWheelTimer`, defaults (100 ms tick)','netty1ms':'Netty `HashedWheelTimer`, 1 ms tick, 512 buckets'}
    cols=[('p50Ms','lateness p50 ms',2),('p99Ms','p99 ms',2),('maxMs','max ms',2),('timerCpuMs','timer CPU ms',0),('idleCpuNsPerS','idle CPU µs/s',1)]
    print()
    print(f"Firing: {pl['count']:,} timeouts due within {pl['spreadMillis']} ms, mean ± sd over {pl['rounds']} rounds "
          f"(after 1 warm-up), JDK {pl['jdk']}, load average {' '.join(pl.get('loadAverageStart','?').split()[:3])} → "
          f"{' '.join(pl.get('loadAverageEnd','?').split()[:3])}. Timer CPU: the mechanism's own threads from the first due instant to the "
          f"last firing; idle: 1 timeout pending 1 h away. (×: this ÷ Breaker)")
    print()
    print('| mechanism | '+' | '.join(c[1] for c in cols)+' |')
    print('|---|'+'---:|'*len(cols))
    for key in ['breaker','orTimeout','scheduledExecutor','netty','netty1ms']:
        if key not in peers: continue
        p=peers[key]; cells=[]
        for m,_,d in cols:
            mean=p[m]['mean']; sd=p[m]['sd']
            if m=='idleCpuNsPerS': mean/=1e3; sd/=1e3
            cell=f"{mean:,.{d}f} ± {sd:,.{d}f}"
            if key!='breaker' and b:
                bm=b[m]['mean']/(1e3 if m=='idleCpuNsPerS' else 1)
                cell+=f" ({mean/bm:,.2f}×)" if bm>0 else ' (Breaker 0)'
            cells.append(cell)
        print(f"| {names.get(key,key)} | "+' | '.join(cells)+' |')
