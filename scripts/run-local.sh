#!/usr/bin/env bash
# Runs the onboarding workflow for one event: the real statemachine/onboard-team.asl.json in
# aws-local-stepfunctions, every Task bound to the real Java handler.
#   scripts/run-local.sh EVENT_FILE                  starts its own moto server, stops it at the end
#   scripts/run-local.sh --endpoint URL EVENT_FILE   uses an AWS-compatible endpoint already running
#   scripts/run-local.sh --aws EVENT_FILE            real AWS via the default credential chain (see README)
# The last line on stdout is the execution's output as one line of JSON; exit 0 only on success.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. scripts/setup.sh

classpath_file=local/runner/target/runtime-classpath.txt
# Build when nothing is built yet, or when a source or POM is newer than the last build.
if [ ! -f "$classpath_file" ] || [ -n "$(find functions local statemachine pom.xml -newer "$classpath_file" \
      \( -name '*.java' -o -name 'pom.xml' \) -not -path '*/target/*' -not -path '*/node_modules/*' -print -quit)" ]; then
  echo "[run-local] building (mvn install -DskipTests)" >&2
  mvn -q -B install -DskipTests >&2
fi

exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 \
  -cp "$(cat "$classpath_file"):local/runner/target/classes" \
  -Dmlteams.repo.root="$repo" \
  mlteams.local.RunLocal "$@"
