#!/bin/sh
# Prints the compatibility table (container x version x passed/failed/skipped) as Markdown, from the
# surefire XML reports of the runner modules, followed by every skipped test and its reason. A module
# that runs several servers (tck-tests/servers) names each test class's row with the properties
# tck.container.<TestClass> and tck.container.version.<TestClass>.
# Run after:  ./mvnw -B -pl tck-tests/suite -am -amd verify
# Usage:      tck-tests/compat-table.sh [tck-tests directory]
dir="${1:-$(dirname "$0")}"
exec python3 - "$dir" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
rows, skips = {}, []
for module in sorted(os.listdir(root)):
    reports = sorted(glob.glob(os.path.join(root, module, "target", "surefire-reports", "TEST-*.xml")))
    for path in reports:
        suite = ET.parse(path).getroot()
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        cls = suite.get("name", "").rsplit(".", 1)[-1]
        container = props.get("tck.container." + cls, props.get("tck.container", module))
        version = props.get("tck.container.version." + cls, props.get("tck.container.version", "?"))
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
PY
