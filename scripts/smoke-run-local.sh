#!/usr/bin/env bash
# Proves the README's run command against a moto server that someone else started: the first run onboards
# the sample team and its three members, the second adds nothing and prints the same output (its members all
# kept); the plan of a third run changes nothing; a membership change replaces carol by dave; then offboarding, twice, leaves nothing of the team but the
# shared trail. Counts are read back with the AWS CLI, from the moto that scripts/moto-server.sh starts (user
# profiles filled in, state kept between runs).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
scripts/moto-server.sh --port "$port" >"$log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; rm -f "$log"' EXIT
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$endpoint/moto-api/" >/dev/null && break; sleep 0.2; done

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
aws_() { aws --endpoint-url "$endpoint" --output text "$@"; }

first=$(scripts/run-local.sh --endpoint "$endpoint" events/team-onboarded.json 2>/dev/null | tail -n 1) \
  || fail "first run did not succeed"
second=$(scripts/run-local.sh --endpoint "$endpoint" events/team-onboarded.json 2>/dev/null | tail -n 1) \
  || fail "second run did not succeed"
# The same output, but for members, which say what each run added, kept and removed.
same=$(python3 -c 'import json,sys; a,b=(json.loads(x) for x in sys.argv[1:]); m=b.pop("members"); a.pop("members")
print(a == b and m == {"added": [], "kept": ["alice", "bob", "carol"], "removed": []})' "$first" "$second")
[ "$same" = True ] || fail "outputs differ: $first vs $second"

domains=$(aws_ sagemaker list-domains --query 'length(Domains)')
trails=$(aws_ cloudtrail describe-trails --query 'length(trailList)')
groups=$(aws_ logs describe-log-groups --log-group-name-prefix /ml-teams/ --query 'length(logGroups)')
versions=$(aws_ ssm get-parameters-by-path --path /ml-teams/computer-vision/ \
  --query "Parameters[?!contains(Name, 'status')].Version" | tr '\t' ' ')
[ "$domains" = 1 ] || fail "expected 1 domain, found $domains"
[ "$trails" = 1 ] || fail "expected 1 trail, found $trails"
[ "$groups" = 1 ] || fail "expected 1 team log group, found $groups"
profiles=$(aws_ sagemaker list-user-profiles --domain-id-equals "$(aws_ sagemaker list-domains \
  --query 'Domains[0].DomainId')" --query 'length(UserProfiles)')
[ "$profiles" = 3 ] || fail "expected 3 user profiles, found $profiles"
[ "$versions" = "1 1 1 1 1 1" ] || fail "a parameter was rewritten on the second run (versions: $versions)"
echo "smoke: run-local.sh twice against $endpoint: same output, 1 domain, 3 user profiles, 1 trail, 1 log group, parameter versions $versions"
echo "smoke: $first"

# The README's plan command: exit 0, the plan as the last line, and after two runs nothing to change (but the saved
# queries, which the local filler of moto's Logs Insights gap does not keep).
plan=$(scripts/run-local.sh --plan --endpoint "$endpoint" events/team-onboarded.json 2>/dev/null | tail -n 1) \
  || fail "the plan could not be made"
changing=$(python3 -c 'import json,sys; p=json.loads(sys.argv[1]); print(len(p["changes"]), sorted({c["resource"]
for c in p["changes"] if c["action"] != "none"}))' "$plan")
[ "$changing" = "23 ['query-definition']" ] || fail "the plan after two runs: $changing (resources, what changes)"
echo "smoke: run-local.sh --plan after two runs: $changing"

changed=$(scripts/run-local.sh --endpoint "$endpoint" --workflow members events/team-members-changed.json \
  2>/dev/null | tail -n 1) || fail "the membership change did not succeed"
names=$(aws_ sagemaker list-user-profiles --domain-id-equals "$(aws_ sagemaker list-domains \
  --query 'Domains[0].DomainId')" --query 'UserProfiles[].UserProfileName' | tr '\t' ' ')
[ "$names" = "alice bob dave" ] || fail "after the membership change the profiles are $names, not alice bob dave"
echo "smoke: Team Members Changed: profiles $names; $changed"

for run in 1 2; do
  offboarded=$(scripts/run-local.sh --endpoint "$endpoint" --workflow offboard events/team-offboarded.json \
    2>/dev/null | tail -n 1) || fail "offboarding run $run did not succeed"
done
domains=$(aws_ sagemaker list-domains --query 'length(Domains)')
parameters=$(aws_ ssm get-parameters-by-path --path /ml-teams/computer-vision/ --query 'length(Parameters)')
trails=$(aws_ cloudtrail describe-trails --query 'length(trailList)')
[ "$domains" = 0 ] || fail "offboarding left $domains domain(s)"
[ "$parameters" = 0 ] || fail "offboarding left $parameters parameter(s)"
[ "$trails" = 1 ] || fail "the shared trail must stay (found $trails)"
echo "smoke: offboarded twice: 0 domains, 0 parameters, the shared trail stays; $offboarded"
