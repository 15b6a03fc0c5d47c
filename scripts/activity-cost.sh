#!/usr/bin/env bash
# What activity monitoring costs per million SageMaker events, and how many events per second one concurrent
# ActivityMonitor sustains: a small model, printed as tables. Every input is a named variable below; override any of
# them from the environment (e.g. TEAMS=40 UNATTRIBUTED_SHARE=0.05 scripts/activity-cost.sh).
#
# MEASURED inputs come from scripts/benchmark-attribution.sh (see docs/activity-benchmark.md for the run): one local
# core, C1 only. ASSUMED inputs are estimates, said as such. PRICES are AWS's published us-east-1 list prices (no free
# tier), as looked up for docs/activity-benchmark.md; check them before quoting.
set -euo pipefail

# --- measured (scripts/benchmark-attribution.sh, 2026-11-29 23:56 UTC, per batch of 100 corpus messages) ----
: "${LINE_BYTES:=801}"                   # bytes per activity line (EMF document), corpus average
: "${PUT_CALLS_PER_BATCH:=3}"           # PutLogEvents calls per batch: one per team in it (corpus: 2 teams + unattributed)
: "${PUT_REQUEST_BYTES_PER_BATCH:=92820}" # their request bodies together
: "${FUNCTION_LOG_BYTES_PER_BATCH:=648}" # the function's own log per batch (batch counts EMF line, info lines)
: "${LOCAL_MS_PER_BATCH:=2.71}"         # CPU time of the handler per batch, one local core, C1 only
: "${MESSAGE_BYTES:=1828}"              # SQS message body: the EventBridge event around the record
: "${CORPUS_UNATTRIBUTED_SHARE:=0.364}" # corpus: 8 of its 22 well-formed records have no team
: "${CORPUS_PAIRS:=15}"                  # corpus: distinct (Team, Action) pairs over its 2 teams + unattributed
: "${CORPUS_PAIRS_UNBOUNDED:=21}"       # the same with Action = eventName, as before the bound
: "${SAGEMAKER_OPERATIONS:=377}"        # operations in the AWS SDK for Java's SageMaker model (2.40.2)
: "${SIGNAL_ACTIONS:=20}"               # mlteams.common.ActivityMetrics.SIGNAL_ACTIONS; the rest count as "Other"

# --- assumed -----------------------------------------------------------------------------------------------------
: "${LAMBDA_MEMORY_MB:=512}"            # template.yaml
: "${FULL_VCPU_MB:=1769}"               # Lambda gives a whole vCPU at 1,769 MB and a proportional share below it
: "${PUT_LATENCY_MS:=20}"               # one PutLogEvents round trip from Lambda (not measured here)
: "${BATCH_SIZE:=100}"                  # a full batch, as under sustained load; at a trickle the 10 s window sends fewer
: "${UNATTRIBUTED_SHARE:=$CORPUS_UNATTRIBUTED_SHARE}"
: "${MALFORMED_SHARE:=0.001}"           # messages that fail every receive and end in the dead-letter queue
: "${MAX_RECEIVES:=5}"                  # ActivityQueue's redrive policy
: "${RETENTION_MONTHS:=12}"             # DefaultLogRetentionDays 365
: "${COMPRESSION:=0.15}"                # stored (compressed) bytes per ingested byte, for repetitive JSON lines
: "${EVENT_OVERHEAD_BYTES:=26}"         # CloudWatch Logs counts 26 bytes per event on top of its message
: "${TEAMS:=10}"
: "${IDLE_POLL_REQUESTS_PER_MONTH:=650000}" # the SQS event source long-polling an empty queue (about 5 pollers, 20 s)

# --- prices, us-east-1 -------------------------------------------------------------------------------------------
: "${LOGS_INGEST_PER_GB:=0.50}"         # CloudWatch Logs, Standard class, collect
: "${LOGS_STORE_PER_GB_MONTH:=0.03}"    # CloudWatch Logs storage (compressed)
: "${METRIC_PER_MONTH:=0.30}"           # custom metric, first 10,000; every EMF dimension combination is one
: "${ALARM_PER_MONTH:=0.10}"            # standard-resolution alarm
: "${DASHBOARD_PER_MONTH:=3.00}"
: "${INSIGHT_RULE_PER_MONTH:=0.50}"     # Contributor Insights rule
: "${INSIGHT_PER_MILLION_MATCHED:=0.02}"
: "${LAMBDA_PER_GB_S:=0.0000133334}"    # arm64
: "${LAMBDA_PER_MILLION_REQUESTS:=0.20}"
: "${SQS_PER_MILLION_REQUESTS:=0.40}"   # standard queue; each 64 KB of a request is one request
: "${EVENTBRIDGE_PER_MILLION:=0.00}"    # AWS management events on the default bus: ingestion free, same-account target

export LINE_BYTES PUT_CALLS_PER_BATCH PUT_REQUEST_BYTES_PER_BATCH FUNCTION_LOG_BYTES_PER_BATCH LOCAL_MS_PER_BATCH \
  MESSAGE_BYTES CORPUS_UNATTRIBUTED_SHARE CORPUS_PAIRS CORPUS_PAIRS_UNBOUNDED SAGEMAKER_OPERATIONS SIGNAL_ACTIONS LAMBDA_MEMORY_MB \
  FULL_VCPU_MB PUT_LATENCY_MS BATCH_SIZE UNATTRIBUTED_SHARE MALFORMED_SHARE MAX_RECEIVES RETENTION_MONTHS COMPRESSION \
  EVENT_OVERHEAD_BYTES TEAMS IDLE_POLL_REQUESTS_PER_MONTH LOGS_INGEST_PER_GB LOGS_STORE_PER_GB_MONTH METRIC_PER_MONTH \
  ALARM_PER_MONTH DASHBOARD_PER_MONTH INSIGHT_RULE_PER_MONTH INSIGHT_PER_MILLION_MATCHED LAMBDA_PER_GB_S \
  LAMBDA_PER_MILLION_REQUESTS SQS_PER_MILLION_REQUESTS EVENTBRIDGE_PER_MILLION

python3 - <<'EOF'
import math, os
v = {k: float(os.environ[k]) for k in os.environ if k.isupper() and k.replace('_', '').isalnum()
     and os.environ[k].replace('.', '', 1).isdigit()}
M = 1e6
GB = 1e9
batches = M / v['BATCH_SIZE']
good = M * (1 - v['MALFORMED_SHARE'])
bad = M * v['MALFORMED_SHARE']

# Lambda: CPU scaled from one local core to the function's share of a vCPU, plus the PutLogEvents round trips.
cpu_share = v['LAMBDA_MEMORY_MB'] / v['FULL_VCPU_MB']
batch_ms = v['LOCAL_MS_PER_BATCH'] / cpu_share + v['PUT_CALLS_PER_BATCH'] * v['PUT_LATENCY_MS']
gb_per_batch_ms = v['LAMBDA_MEMORY_MB'] / 1024 / 1000
gb_s = batches * batch_ms * gb_per_batch_ms

rows = []  # (part, quantity per million events, cost per million events)
rows.append(("Lambda duration", f"{batches:,.0f} batches × {batch_ms:.1f} ms × {v['LAMBDA_MEMORY_MB']:.0f} MB = {gb_s:,.0f} GB-s",
             gb_s * v['LAMBDA_PER_GB_S']))
rows.append(("Lambda requests", f"{batches:,.0f} invocations", batches / M * v['LAMBDA_PER_MILLION_REQUESTS']))
# SQS: EventBridge sends each message once; the event source receives and deletes up to 10 per request.
chunks = math.ceil(v['MESSAGE_BYTES'] / 65536)
sqs = M * chunks + M / 10 + good / 10
rows.append(("SQS requests", f"{sqs / M:.2f} M (send; receive and delete, 10 a request)", sqs / M * v['SQS_PER_MILLION_REQUESTS']))
rows.append(("EventBridge", "1 M AWS management events matched", v['EVENTBRIDGE_PER_MILLION']))

line = v['LINE_BYTES'] + v['EVENT_OVERHEAD_BYTES']
team_gb = good * (1 - v['UNATTRIBUTED_SHARE']) * line / GB
unattributed_gb = good * v['UNATTRIBUTED_SHARE'] * line / GB
function_gb = batches * v['FUNCTION_LOG_BYTES_PER_BATCH'] / GB
rows.append(("Logs ingestion: team streams", f"{team_gb:.3f} GB", team_gb * v['LOGS_INGEST_PER_GB']))
rows.append(("Logs ingestion: unattributed stream", f"{unattributed_gb:.3f} GB ({v['UNATTRIBUTED_SHARE']:.1%} of events)",
             unattributed_gb * v['LOGS_INGEST_PER_GB']))
rows.append(("Logs ingestion: function log", f"{function_gb:.4f} GB (batch counts, info lines)", function_gb * v['LOGS_INGEST_PER_GB']))
stored = (team_gb + unattributed_gb + function_gb) * v['COMPRESSION']
rows.append(("Logs storage over retention", f"{stored:.3f} GB × {v['RETENTION_MONTHS']:.0f} months",
             stored * v['RETENTION_MONTHS'] * v['LOGS_STORE_PER_GB_MONTH']))
rows.append(("Contributor Insights (top users)", f"{good * (1 - v['UNATTRIBUTED_SHARE']) / M:.2f} M matched lines",
             good * (1 - v['UNATTRIBUTED_SHARE']) / M * v['INSIGHT_PER_MILLION_MATCHED']))
# A malformed message fails every receive: MAX_RECEIVES - 1 more receives, each a share of a batch's Lambda time and a
# warning line (about 160 bytes), then SQS moves it to the dead-letter queue, where it waits (free) and raises the alarm.
retries = bad * (v['MAX_RECEIVES'] - 1)
dead_letter = (retries / v['BATCH_SIZE'] * batch_ms * gb_per_batch_ms * v['LAMBDA_PER_GB_S']
               + retries / 10 / M * v['SQS_PER_MILLION_REQUESTS']
               + bad * v['MAX_RECEIVES'] * 160 / GB * v['LOGS_INGEST_PER_GB'])
rows.append(("Dead-letter path", f"{bad:,.0f} malformed × {v['MAX_RECEIVES']:.0f} receives ({v['MALFORMED_SHARE']:.1%})", dead_letter))

total = sum(r[2] for r in rows)
print(f"## Per million SageMaker events (us-east-1 list prices, no free tier)\n")
print("| part | quantity | USD | share |")
print("|---|---|---:|---:|")
for part, quantity, cost in sorted(rows, key=lambda r: -r[2]):
    print(f"| {part} | {quantity} | {cost:.4f} | {cost / total:.0%} |")
print(f"| **total** | | **{total:.2f}** | |")
top = max(rows, key=lambda r: r[2])
print(f"\nDominant part: {top[0]} ({top[2] / total:.0%}).")

pairs_bounded = v['SIGNAL_ACTIONS'] + 1
print(f"\n## Per month, whatever the volume ({v['TEAMS']:.0f} teams, and the unattributed stream as one more Team value)\n")
print("| part | count | USD per month |")
print("|---|---:|---:|")
fixed = []
def metric_row(label, per_team):
    n = per_team * (v['TEAMS'] + 1)  # + the unattributed "team"
    fixed.append((label, f"{n:,.0f}", n * v['METRIC_PER_MONTH']))
metric_row(f"EMF Actions metrics if Action were the operation, worst case: every SageMaker operation, since a denied "
           f"call of any passes the rule ({v['SAGEMAKER_OPERATIONS']:.0f} per team)", v['SAGEMAKER_OPERATIONS'])
metric_row(f"EMF Actions metrics, bounded, worst case ({v['SIGNAL_ACTIONS']:.0f} signal actions + Other per team)", pairs_bounded)
fixed.append((f"EMF Actions metrics, the corpus (2 teams + unattributed): bounded (unbounded: {v['CORPUS_PAIRS_UNBOUNDED']:.0f})",
              f"{v['CORPUS_PAIRS']:.0f}", v['CORPUS_PAIRS'] * v['METRIC_PER_MONTH']))
fixed.append(("metric-filter metrics (4 per team) and batch counts (3)", f"{4 * v['TEAMS'] + 3:.0f}",
              (4 * v['TEAMS'] + 3) * v['METRIC_PER_MONTH']))
fixed.append(("alarms (2 per team, dead-letter queue)", f"{2 * v['TEAMS'] + 1:.0f}", (2 * v['TEAMS'] + 1) * v['ALARM_PER_MONTH']))
fixed.append(("dashboards (1 per team)", f"{v['TEAMS']:.0f}", v['TEAMS'] * v['DASHBOARD_PER_MONTH']))
fixed.append(("Contributor Insights rule", "1", v['INSIGHT_RULE_PER_MONTH']))
fixed.append(("SQS polling an idle queue (estimate)", f"{v['IDLE_POLL_REQUESTS_PER_MONTH']:,.0f} requests",
              v['IDLE_POLL_REQUESTS_PER_MONTH'] / M * v['SQS_PER_MILLION_REQUESTS']))
for part, count, cost in fixed:
    print(f"| {part} | {count} | {cost:,.2f} |")

print(f"\nWorst case per team: {v['SAGEMAKER_OPERATIONS']:.0f} Actions metrics, "
      f"{v['SAGEMAKER_OPERATIONS'] * v['METRIC_PER_MONTH']:,.2f} USD a month, if Action were the operation; "
      f"{pairs_bounded:.0f}, {pairs_bounded * v['METRIC_PER_MONTH']:,.2f} USD, with the bound.")

rate = v['BATCH_SIZE'] / (batch_ms / 1000)
print(f"\n## Capacity\n")
print(f"One concurrent ActivityMonitor: a batch of {v['BATCH_SIZE']:.0f} takes about {batch_ms:.0f} ms "
      f"({v['LOCAL_MS_PER_BATCH']:.1f} ms of local CPU ÷ {cpu_share:.2f} vCPU at {v['LAMBDA_MEMORY_MB']:.0f} MB, "
      f"+ {v['PUT_CALLS_PER_BATCH']:.0f} PutLogEvents × {v['PUT_LATENCY_MS']:.0f} ms), so it sustains about "
      f"{rate:,.0f} events/s ({rate * 3600 * 24 / M:,.0f} M a day).")
EOF
