#!/usr/bin/env bash
# Starts moto with the project's SageMaker user-profile fill (local/moto/moto_server.py) on 127.0.0.1, in the
# foreground until stopped. Point run-local.sh --endpoint, the tests (MOTO_ENDPOINT) or the aws CLI at it.
#   scripts/moto-server.sh --port PORT
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    *) echo "usage: scripts/moto-server.sh --port PORT" >&2; exit 2 ;;
  esac
done
[ -n "$port" ] || { echo "usage: scripts/moto-server.sh --port PORT" >&2; exit 2; }
exec "${MOTO_PYTHON:-python3}" "$repo/local/moto/moto_server.py" -H 127.0.0.1 -p "$port"
