#!/usr/bin/env bash
# The activity monitor's whole per-message path, one thread on one core, C1 only (-XX:TieredStopAtLevel=1) as the
# Lambda java21 runtime runs: SQS events of 100 EventBridge-wrapped corpus records through the handler (read,
# attribution with cached team lookups, EMF line, PutLogEvents requests built and signed per team, not sent), side by
# side in the same run with the same path done by Jackson streaming and by plain Jackson databind.
#   scripts/benchmark-attribution.sh [--batches N] [--rounds R] [--warmup W]
# A benchmark, not a test. Builds the module's test classes (never installs) when needed.
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
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) core(s) of ${cpu:-unknown CPU}, ${pin[*]:-not pinned}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$repo"
"${pin[@]}" "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:ActiveProcessorCount=1 -Xms512m -Xmx512m \
  -Dslf4j.internal.verbosity=ERROR -cp "$classpath" mlteams.activity.ActivityPathBenchmark "$@"
