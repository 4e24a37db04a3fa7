#!/usr/bin/env bash
# Load-balancer programming cost on one lab node (see meshplane.bench.RulesBench): initial full
# sync of 10,000 services x 10 backends, then p50/p99 of single backend changes with 10,000
# services present and with 100, interleaved; last line a summary against the goals.
# Usage: scripts/bench-rules.sh [--services N] [--backends B] [--samples K]   (bounded)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
exec "$root/scripts/bench-java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn meshplane.bench.RulesBench "$@"
