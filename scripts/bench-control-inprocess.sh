#!/usr/bin/env bash
# The control plane's write path in one JVM, no lab (see meshplane.bench.ControlCreateBench and
# docs/benchmarks.md): a one-manager swarm on 127.0.0.1 (Raft log fsynced in a temp dir, removed
# at the end), services of one replica created over the HTTP API one after another: p50 / p99 of
# a create at 10, 100 and 1,000 services present; then writes/s with 16 concurrent clients (all over
# mutual TLS); then writes over TLS against the same manager's local socket, 4 alternating rounds of 3,000.
# Goals: p99 <= 20 ms, p99(1000) / p99(10) <= 1.5, >= 500 writes/s, TLS >= 0.8 x the socket. Bounded (--max-seconds, 900).
# Usage: scripts/bench-control-inprocess.sh [--levels 10,100,1000] [--window 100] [--clients 16]
#        [--writes 800] [--warmup 1000] [--pollers N] [--max-seconds S]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec "$root/scripts/bench-java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn meshplane.bench.ControlCreateBench "$@"
