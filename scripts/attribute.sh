#!/usr/bin/env bash
# Offline forensics: who did what, from CloudTrail files downloaded from S3. Attributes every record to a person and
# a team with the same code as the activity-monitor Lambda (functions/activity-monitor: Attributor,
# SageMakerTeamLookup).
#   scripts/attribute.sh [--endpoint URL] [--region R] [--domain-prefix P] [--parameter-prefix P] FILE...
# FILE is a CloudTrail log file ({"Records":[…]}, as delivered to S3: .json.gz or plain) or JSON lines of records.
# Teams are resolved with SageMaker DescribeDomain, then the domain records onboarding keeps in Parameter Store under
# <--parameter-prefix>-domains (deleted domains, execution roles), against --endpoint (moto), or real AWS through the
# default credential chain without it: read-only, sagemaker:DescribeDomain and ssm:GetParametersByPath. stdout: one JSON line per record (a malformed record gets a line with its error, and
# the run goes on); stderr, last: total=… attributed=… unattributed=… malformed=…
# Builds the module (never installs) when nothing is built yet or a source is newer than the build.
# MLTEAMS_ATTRIBUTE_CLASSPATH, if set, is used instead of building (the tests run this script on their own build).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/scripts/setup.sh" >&2

module="$repo/functions/activity-monitor"
if [ -n "${MLTEAMS_ATTRIBUTE_CLASSPATH:-}" ]; then
  classpath="$MLTEAMS_ATTRIBUTE_CLASSPATH"
else
  classpath_file="$module/target/runtime-classpath.txt"
  if [ ! -f "$classpath_file" ] || [ -n "$(find "$module" "$repo/functions/common" "$repo/pom.xml" "$repo/functions/pom.xml" \
        -newer "$classpath_file" \( -name '*.java' -o -name 'pom.xml' \) -not -path '*/target/*' -print -quit)" ]; then
    echo "[attribute] building (mvn package -pl functions/activity-monitor -am -DskipTests)" >&2
    (cd "$repo" && mvn -q -B -Dstyle.color=never package -DskipTests -pl functions/activity-monitor -am >&2)
  fi
  classpath="$module/target/classes:$(cat "$classpath_file")"
fi

exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -Dslf4j.internal.verbosity=ERROR \
  -cp "$classpath" mlteams.activity.AttributeFiles "$@"
