#!/bin/sh
# supervisor-memory.sh LABEL LAUNCHER: starts 'LAUNCHER after 60s -- sleep 60' on a fresh state
# directory, waits until the supervisor runs the command (state RUNNING), then prints the
# supervisor JVM's memory from /proc/PID/smaps_rollup (Rss; Pss; Private_Dirty: what each more
# supervisor adds), and stops it. Three times.
label=$1
launcher=$2
for i in 1 2 3; do
    XDG_STATE_HOME=$(mktemp -d)
    export XDG_STATE_HOME
    id=$("$launcher" after 60s -- sleep 60)
    state=$XDG_STATE_HOME/breakit/$id.state
    n=0
    until grep -q '^state=RUNNING' "$state" 2>/dev/null || [ $n -ge 300 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    sleep 1   # let it settle into idleness (a measurement, not a test)
    pid=$(sed -n 's/^supervisorPid=//p' "$state")
    echo "$label: idle supervisor: $(grep -E '^(Rss|Pss|Private_Dirty):' "/proc/$pid/smaps_rollup" | tr -s ' ' | tr '\n' ' ')"
    "$launcher" stop "$id" >/dev/null
    rm -rf "$XDG_STATE_HOME"
done
