#!/bin/sh
# supervisor-breakdown.sh LAUNCHER: where an idle 'after' supervisor's private memory goes: the
# JVM's native memory tracking summary (committed) and the mappings with the most private dirty
# pages (/proc/PID/smaps). NMT is switched on through JAVA_TOOL_OPTIONS, which every JVM here
# then reports on stderr.
launcher=$1
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
id=$(JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary "$launcher" after 60s -- sleep 60 2>/dev/null)
state=$XDG_STATE_HOME/breakit/$id.state
n=0
until grep -q '^state=RUNNING' "$state" 2>/dev/null || [ $n -ge 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
sleep 1   # let it settle into idleness (a measurement, not a test)
pid=$(sed -n 's/^supervisorPid=//p' "$state")
echo "smaps_rollup: $(grep -E '^(Rss|Private_Dirty):' "/proc/$pid/smaps_rollup" | tr -s ' ' | tr '\n' ' ')"
echo "NMT, committed KB (with NMT's own overhead):"
jcmd "$pid" VM.native_memory summary | sed -n 's/^-  *\([A-Za-z ]*[a-z]\) (reserved=[0-9]*KB, committed=\([0-9]*\)KB)/  \1: \2/p'
echo "largest private dirty mappings, KB:"
awk '/^[0-9a-f]+-[0-9a-f]+ /{name=($6 == "" ? "[anonymous]" : $6)} /^Private_Dirty:/{pd[name]+=$2} END{for (n in pd) if (pd[n] >= 256) print "  " pd[n], n}' "/proc/$pid/smaps" | sort -rn
"$launcher" stop "$id" >/dev/null
rm -rf "$XDG_STATE_HOME"
