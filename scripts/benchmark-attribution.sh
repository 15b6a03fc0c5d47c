#!/usr/bin/env bash
# Events per second through parse + attribution + activity-line formatting, on one thread and one core, over the
# attribution corpus (events/cloudtrail/corpus.json) scaled up, side by side in the same run with a baseline that
# databinds each record into a generic tree (jackson-databind readTree). A benchmark, not a test.
#   scripts/benchmark-attribution.sh [--records N] [--rounds R] [--warmup W]
# Runs twice: with the JVM's default JIT, and with C1 only (-XX:TieredStopAtLevel=1), as the Lambda java21
# runtime runs. Pinned to one CPU (taskset) with -XX:ActiveProcessorCount=1 where taskset exists.
# Builds the module's test classes (never installs) when needed.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/scripts/setup.sh" >&2

module="$repo/functions/activity-monitor"
classpath_file="$module/target/test-classpath.txt"
if [ ! -f "$classpath_file" ] || [ -n "$(find "$module" "$repo/functions/common" "$repo/events/cloudtrail" "$repo/pom.xml" \
      "$repo/functions/pom.xml" -newer "$classpath_file" \( -name '*.java' -o -name 'pom.xml' -o -name '*.json' \) \
      -not -path '*/target/*' -print -quit)" ]; then
  echo "[benchmark] building test classes (mvn process-test-classes -pl functions/activity-monitor -am)" >&2
  (cd "$repo" && mvn -q -B -Dstyle.color=never process-test-classes -pl functions/activity-monitor -am >&2)
fi
classpath="$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")"

pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c "$(( $(nproc) - 1 ))")
fi
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) core(s) of ${cpu:-unknown CPU}, ${pin[*]:-not pinned}"
for jit in "" "-XX:TieredStopAtLevel=1"; do
  echo
  echo "## JIT: ${jit:-default (C1 + C2)}"
  (cd "$repo" && "${pin[@]}" "$JAVA_HOME/bin/java" -XX:ActiveProcessorCount=1 -Xms2g -Xmx2g ${jit} \
    -Dslf4j.internal.verbosity=ERROR -cp "$classpath" mlteams.activity.AttributionBenchmark "$@")
done
