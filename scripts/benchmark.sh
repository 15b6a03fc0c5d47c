#!/usr/bin/env bash
# Measures cold and warm invokes of every function (all 20 handlers: onboarding, offboarding, the activity monitor)
# from its own function.zip, against the naive baseline (naive fat jar, XxxClient.builder().build()), the JVM floor,
# the AWS CRT HTTP client and class-data-sharing archives; artifact sizes; state transitions and API calls per
# onboarding and per offboarding. Prints the tables and writes docs/performance.md. Sets itself up on a fresh clone,
# builds, and starts and stops its own moto server on a free loopback port. About 9 minutes on a quiet 2-core (15 on a busy)
# machine with the defaults (each extra round about 1.5 minutes; training the AppCDS and AOT archives about 3).
#   scripts/benchmark.sh [--runs N (default 5)] [--warm WARMUPS:MEASURED (default 50:30)] [--out FILE]
#                        [--archives all|none|FUNCTION,FUNCTION,... (AppCDS and AOT cache variants; default all)]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. scripts/setup.sh

echo "[benchmark] building (mvn install -DskipTests)" >&2
mvn -q -B install -DskipTests >&2
echo "[benchmark] building the naive baseline's fat jar (benchmarks/naive)" >&2
mvn -q -B -f benchmarks/naive/pom.xml package >&2

exec "$JAVA_HOME/bin/java" -cp "$(cat benchmarks/target/runtime-classpath.txt):benchmarks/target/classes" \
  -Dmlteams.repo.root="$repo" \
  mlteams.bench.Benchmark "$@"
