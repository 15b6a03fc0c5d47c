#!/usr/bin/env bash
# Measures every function template.yaml deploys, from its own function.zip, against the fair baseline (per function
# module, one shaded jar with its SDK modules' default dependencies and the SDK's default HTTP client, built here
# from benchmarks/baseline): cold invokes and first invokes after SnapStart priming, warm invokes, artifact sizes,
# and state transitions and API calls per execution of each workflow. Fills docs/performance.template.md into
# docs/performance.md and prints the tables. Sets itself up on a fresh clone, builds offline, and starts and stops
# its own moto server on a free loopback port. See docs/performance.md for how long a run takes.
#   scripts/benchmark.sh [--runs N (default 5)] [--warm WARMUPS:MEASURED (default 50:30)] [--out FILE]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. scripts/setup.sh

echo "[benchmark] building (mvn install -DskipTests)" >&2
mvn -q -B -o install -DskipTests >&2
# One baseline jar per function module that template.yaml deploys (CodeUri: functions/<module>/target/function.zip).
for module in $(sed -nE 's#^ +CodeUri: *functions/([a-z0-9-]+)/target/function\.zip *$#\1#p' template.yaml | sort -u); do
  echo "[benchmark] building the baseline jar of $module (benchmarks/baseline)" >&2
  mvn -q -B -o -f benchmarks/baseline/pom.xml package -Dmodule="$module" >&2
done

# The project's own modules from this checkout's build, not from ~/.m2, which other checkouts on a machine share.
classpath=$(tr ':' '\n' < benchmarks/target/runtime-classpath.txt | while read -r jar || [ -n "$jar" ]; do
  case "$jar" in */mlteams/*) find functions local -path "*/target/$(basename "$jar")" | head -1 ;; *) echo "$jar" ;; esac
done | paste -sd: -)
rm -rf benchmarks/target/bench
exec "$JAVA_HOME/bin/java" -cp "$classpath:benchmarks/target/classes" \
  -Dmlteams.repo.root="$repo" \
  mlteams.bench.Benchmark "$@"
