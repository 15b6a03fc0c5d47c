#!/usr/bin/env bash
# Runs every test. On a fresh clone it sets itself up (JDK, npm packages, Node 22) and starts and stops the
# moto servers it needs.
#   1. template.yaml through cfn-lint; every statemachine/*.asl.json through asl-validator;
#   2. mvn verify: handler tests against moto, end-to-end tests of the real ASL with the real handlers;
#   3. the README's run command, twice, against a moto server started here: the second run must add nothing.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. scripts/setup.sh

echo "== cfn-lint template.yaml"
cfn-lint template.yaml
echo "== asl-validator statemachine/*.asl.json"
for definition in statemachine/*.asl.json; do
  PATH="$(dirname "$MLTEAMS_NODE"):$PATH" local/sfn/node_modules/.bin/asl-validator --json-path "$definition"
done

echo "== mvn verify"
mvn -B -ntp verify

echo "== run-local.sh twice against an external moto server"
scripts/smoke-run-local.sh

# One closing line for the whole run: every JUnit test, plus the lint checks and the smoke run above.
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for report in glob.glob("**/target/surefire-reports/TEST-*.xml", recursive=True):
    suite = ET.parse(report).getroot()
    tests += int(suite.get("tests")); skipped += int(suite.get("skipped"))
    failed += int(suite.get("failures")) + int(suite.get("errors"))
checks = 3  # cfn-lint, asl-validator, smoke run
print(f"{tests - failed - skipped + checks} passed, {failed} failed, {skipped} skipped")
PY
