#!/bin/sh
# measure.sh [OLD_JAR]: the figures of breakit/README.md's Start-up section, with public tools.
# Installs target/breakit.jar with the launcher and an archive for each JDK below in a temporary
# directory, as the README's Install section does, then for each JDK:
#  - startup-ab.pl: 'breakit run 1s -- true' against a bare 'java -version' with the launcher's
#    flags, and against GNU 'timeout 1s true' (20 pairs, in turn, medians); and the floor of any
#    JVM tool that runs a command (Spawn.java: start 'true', wait, exit) against the same 'java
#    -version';
#  - profile-startup.sh: where the time goes (class loading, with and without the archive);
#  - supervisor-memory.sh: an idle 'after' supervisor's memory.
# OLD_JAR (a breakit.jar of an earlier commit, with its launcher next to it as bin/breakit in
# ../../) is measured the same way, for comparison.
set -eu
cd "$(dirname "$0")/../.."
results=breakit/results
old=${1:-}
jdks="/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"
flags="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"
inst=$(mktemp -d)
mkdir -p "$inst/bin" "$inst/lib/breakit"
cp breakit/src/main/sh/breakit "$inst/bin/"
cp breakit/target/breakit.jar "$inst/lib/breakit/"
for home in $jdks; do
    sh breakit/src/main/sh/breakit-cds "$home/bin/java" "$inst/lib/breakit/breakit.jar" >/dev/null
done
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for home in $jdks; do
    v=$("$home/bin/java" -version 2>&1 | head -1)
    echo
    echo "## $v"
    echo
    echo '```'
    JAVA_HOME=$home perl $results/startup-ab.pl 20 "$inst/bin/breakit run 1s -- true" "$home/bin/java $flags -version"
    echo
    JAVA_HOME=$home perl $results/startup-ab.pl 20 "$inst/bin/breakit run 1s -- true" "timeout 1s true"
    if [ -n "$old" ]; then
        echo
        JAVA_HOME=$home perl $results/startup-ab.pl 20 "$(dirname "$old")/../../bin/breakit run 1s -- true" "$home/bin/java $flags -version"
    fi
    echo
    "$home/bin/javac" --release 17 -d "$inst/spawn" $results/Spawn.java
    perl $results/startup-ab.pl 20 "$home/bin/java $flags -cp $inst/spawn Spawn true" "$home/bin/java $flags -version"
    echo
    archive=$(ls "$inst/lib/breakit/" | grep -E "^breakit-.*\.(jsa|aot)$" | while read -r a; do
        case $a in *"$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$home/release")".*) echo "$a" ;; esac; done)
    case $archive in
        *.aot) opt="-XX:AOTCache=$inst/lib/breakit/$archive" ;;
        *) opt="-XX:SharedArchiveFile=$inst/lib/breakit/$archive" ;;
    esac
    if [ -n "$old" ]; then
        sh $results/profile-startup.sh "before" "$old" "$home/bin/java" $flags
    fi
    sh $results/profile-startup.sh "no archive" "$inst/lib/breakit/breakit.jar" "$home/bin/java" $flags
    sh $results/profile-startup.sh "archive" "$inst/lib/breakit/breakit.jar" "$home/bin/java" $flags $opt
    echo
    if [ -n "$old" ]; then
        JAVA_HOME=$home sh $results/supervisor-memory.sh "before" "$(dirname "$old")/../../bin/breakit"
    fi
    JAVA_HOME=$home sh $results/supervisor-memory.sh "now" "$inst/bin/breakit"
    echo '```'
done
rm -rf "$inst"
