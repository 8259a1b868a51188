#!/usr/bin/env bash
# Builds the library jars twice from clean and checks that they are byte-identical
# (project.build.outputTimestamp fixes entry times). Run from the repository root:
#   scripts/check-reproducible.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jars="core/target/breaker-core-*.jar extension/target/breaker-cdi-*.jar jaxrs/target/breaker-jaxrs-*.jar context-propagation/target/breaker-context-propagation-*.jar mutiny/target/breaker-mutiny-*.jar"
sums=()
for round in 1 2; do
  ./mvnw -B -q clean package -pl core,extension,jaxrs,context-propagation,mutiny -DskipTests
  sums+=("$(sha256sum $jars)")
done
if [ "${sums[0]}" = "${sums[1]}" ]; then
  echo "reproducible:"; echo "${sums[0]}"
else
  echo "NOT reproducible:"; echo "${sums[0]}"; echo "---"; echo "${sums[1]}"; exit 1
fi
