#!/bin/sh
# Prints the compatibility table (container x version x passed/failed/skipped) as Markdown, from the
# surefire XML reports of the runner modules, followed by every skipped test and its reason. A module
# that runs several servers (tck-tests/servers) names each test class's row with the properties
# tck.container.<TestClass> and tck.container.version.<TestClass>. When the servers' reports carry
# tck.load.<TestClass> (one SIGTERM under load, ServerChecks.sigtermUnderLoad) and
# tck.redeploy.<TestClass> (ServerChecks.redeployTwentyTimes), two more tables follow.
# Run after:  ./mvnw -B -pl tck-tests/suite -am -amd verify
# Usage:      tck-tests/compat-table.sh [tck-tests directory]
dir="${1:-$(dirname "$0")}"
exec python3 - "$dir" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
rows, skips, loads, redeploys = {}, [], [], []
for module in sorted(os.listdir(root)):
    reports = sorted(glob.glob(os.path.join(root, module, "target", "surefire-reports", "TEST-*.xml")))
    for path in reports:
        suite = ET.parse(path).getroot()
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        cls = suite.get("name", "").rsplit(".", 1)[-1]
        container = props.get("tck.container." + cls, props.get("tck.container", module))
        version = props.get("tck.container.version." + cls, props.get("tck.container.version", "?"))
        if props.get("tck.load." + cls):
            loads.append((container, dict(kv.split("=", 1) for kv in props["tck.load." + cls].split())))
        if props.get("tck.redeploy." + cls):
            redeploys.append((container, dict(kv.split("=", 1) for kv in props["tck.redeploy." + cls].split())))
        row = rows.setdefault((container, version), [0, 0, 0])
        tests = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        row[0] += tests; row[1] += failed; row[2] += skipped
        for case in suite.iter("testcase"):
            s = case.find("skipped")
            if s is not None:
                reason = (s.get("message") or s.text or "").strip().splitlines()[0] if (s.get("message") or s.text) else ""
                skips.append((container, case.get("classname").rsplit(".", 1)[-1] + "." + case.get("name"), reason))
rows = [(c, v, t - f - sk, f, sk, t) for (c, v), (t, f, sk) in rows.items()]
print("| Container | Version | Passed | Failed | Skipped | Total |")
print("|---|---|---:|---:|---:|---:|")
for r in rows:
    print("| %s | %s | %d | %d | %d | %d |" % r)
if skips:
    print()
    print("Skipped tests and why:")
    print()
    seen = {}
    for container, test, reason in skips:
        seen.setdefault((container, reason), []).append(test)
    for (container, reason), tests in seen.items():
        print("- %s (%d): %s" % (container, len(tests), reason))
if loads:
    def ms(v):
        return "-" if v == "-1" else v
    print()
    print("One SIGTERM under steady load (3 clients, a new connection every 20 ms each; readiness polled every 50 ms;"
          " breaker.shutdown.readiness-delay=%s ms). Requests answered / refused (503 or connection refused) /"
          " failed (any other status, reset, timeout), by when they were sent; times in ms after the SIGTERM:"
          % loads[0][1].get("delayMs", "?"))
    print()
    print("| Container | During the delay | After it, until exit | Readiness not UP | Library check DOWN | Last answered"
          " | Port closed | Workers stopped | Delay served | Exit | Failures |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|")
    for container, m in loads:
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s after %s ms | %s |" % (container,
              m["during"], m["after"], ms(m.get("readinessNotUpMs", "-1")), ms(m["readinessDownMs"]),
              ms(m["lastAnsweredMs"]), ms(m["portClosedMs"]), ms(m["workersStopMs"]),
              "yes" if m["delayServed"] == "true" else "no", m["exit"], m["exitMs"], m["failures"]))
if redeploys:
    print()
    print("Redeploy: an application using breakers, a SIGTERM breaker, a routine worker and CurrentBreaker,"
          " deployed and undeployed %s times, then full GCs:" % redeploys[0][1].get("redeploys", "?"))
    print()
    print("| Container | Copies of its classes still loaded | Library threads left |")
    print("|---|---:|---:|")
    for container, m in redeploys:
        print("| %s | %s | %s |" % (container, m["copiesAfterGc"], m["libraryThreads"]))
PY
