#!/bin/sh
# Where the start-up of 'breakit run 1s -- true' goes, from the JVM's own class-loading log
# (-Xlog:class+load with uptime): when breakit's main class is loaded (the JVM's own start),
# when the command is about to be started (breakit's Launch class loaded), the last class loaded, and
# how many classes came from outside a class-data sharing archive.
# Usage: profile-startup.sh LABEL JAR JAVA [JVM OPTION]...   (three runs, one line each)
label=$1
jar=$2
shift 2
log=$(mktemp)
for i in 1 2 3; do
    "$@" -Xlog:class+load:file="$log":uptime -jar "$jar" run 1s -- true >/dev/null 2>&1 </dev/null
    at() { grep -m1 -E "$1" "$log" | sed -E 's/^\[([0-9.]+)s.*/\1/'; }
    echo "$label | main class loaded at $(at ' dev\.breaker\.breakit\.(Main|Breakit) ')s" \
        "| command about to start at $(at ' dev\.breaker\.breakit\.Launch ')s" \
        "| last class at $(tail -1 "$log" | sed -E 's/^\[([0-9.]+)s.*/\1/')s" \
        "| classes $(grep -c . "$log"), not from an archive $(grep -vc 'shared objects file' "$log")," \
        "picocli $(grep -c ' picocli\.' "$log"), dev.breaker $(grep -c ' dev\.breaker\.' "$log")"
done
rm -f "$log"
